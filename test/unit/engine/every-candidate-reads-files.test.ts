import assert from 'node:assert/strict';
import type { CatalogModel } from '../../../src/core/catalog/catalog-model';
import { everyCandidateReadsFiles } from '../../../src/core/engine/every-candidate-reads-files';
import { pdfTestModel } from '../../support/pdf-routing-harness';

const reader = pdfTestModel('acme/reader', 'Reader', { readsFiles: true });
const text = pdfTestModel('acme/text', 'Text', { readsFiles: false });
/** Reads files at OpenRouter; a text-only endpoint at a provider the user may not have. */
const mixed: CatalogModel = { ...reader, id: 'acme/mixed', endpoints: [...reader.endpoints, ...pdfTestModel('acme/mixed', 'Mixed', { provider: 'acme-cloud', readsFiles: false }).endpoints] };
const catalog = { models: [reader, text, mixed] };
const OPENROUTER = new Set(['openrouter']);

describe('everyCandidateReadsFiles: whether a PDF can go as the file to every target', () => {
  it('holds for named models whose endpoints at the user’s providers all read files, variants included', () => {
    assert.equal(everyCandidateReadsFiles(['acme/reader'], catalog, OPENROUTER), true);
    assert.equal(everyCandidateReadsFiles(['acme/reader:floor', 'ACME/Reader'], catalog, OPENROUTER), true);
    assert.equal(everyCandidateReadsFiles(['acme/mixed'], catalog, OPENROUTER), true, 'the text-only endpoint is at a provider without a key');
  });

  it('fails for a model with a text-only endpoint the user can reach, a route, or an unknown name', () => {
    assert.equal(everyCandidateReadsFiles(['acme/mixed'], catalog, new Set(['openrouter', 'acme-cloud'])), false);
    assert.equal(everyCandidateReadsFiles(['acme/reader', 'acme/text'], catalog, OPENROUTER), false);
    assert.equal(everyCandidateReadsFiles(['perpetuo/cheapest'], catalog, OPENROUTER), false);
    assert.equal(everyCandidateReadsFiles(['acme/nonexistent'], catalog, OPENROUTER), false);
  });
});
