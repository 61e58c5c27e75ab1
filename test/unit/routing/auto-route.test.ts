import assert from 'node:assert/strict';
import { analysePrompt } from '../../../src/core/routing/analyse-prompt';
import type { ChatRequest } from '../../../src/core/spec/chat-request';
import { estimateRequestTokens } from '../../../src/core/tokens/estimate-request-tokens';
import { chat } from './build-test-catalog';
import { plan } from './plan-for-test';

const pdf = { type: 'file' as const, source: { kind: 'url' as const, url: 'https://example.com/q3.pdf' }, mediaType: 'application/pdf' };

interface Row {
  prompt: string;
  extra?: Partial<ChatRequest>;
  task: string;
  complexity: 'low' | 'medium' | 'high';
  chosen: string;
}

/** The auto router's table: each prompt's reading and the model it lands on with a $0.05/request cap. */
const TABLE: Row[] = [
  { prompt: 'hi, how are you?', task: 'chat', complexity: 'low', chosen: 'meta/llama-3.3-70b@deepinfra' },
  { prompt: 'Write a haiku about autumn leaves', task: 'creative', complexity: 'low', chosen: 'meta/llama-3.3-70b@deepinfra' },
  { prompt: 'Fix this bug:\n```ts\nconst x = items.map(i => i.id;\n```', task: 'code', complexity: 'medium', chosen: 'google/gemini-2.5-flash@google' },
  {
    prompt: 'TypeError: Cannot read properties of undefined\n    at render (src/app.ts:12:5)\nwhy?',
    task: 'code',
    complexity: 'medium',
    chosen: 'google/gemini-2.5-flash@google',
  },
  {
    prompt: 'Design a distributed rate limiter architecture; think through the edge cases and race conditions step by step and explain the trade-offs.',
    task: 'reasoning',
    complexity: 'high',
    chosen: 'openai/gpt-5@openai',
  },
  // Math prefers a reasoning model among equals: sonnet (reasoning) over gemini flash (same tier, cheaper).
  { prompt: 'Prove that the square root of 2 is irrational.', task: 'math', complexity: 'medium', chosen: 'anthropic/claude-sonnet-4.5@anthropic' },
  { prompt: 'Translate into French: the meeting is moved to Tuesday.', task: 'translation', complexity: 'low', chosen: 'meta/llama-3.3-70b@deepinfra' },
  { prompt: `Summarize the key points of this article: ${'The economy grew. '.repeat(50)}`, task: 'summarization', complexity: 'medium', chosen: 'google/gemini-2.5-flash@google' },
  {
    prompt: 'Extract all person names from this text: Alice met Bob in Paris.',
    extra: { responseFormat: { type: 'json' } },
    task: 'extraction',
    complexity: 'low',
    chosen: 'meta/llama-3.3-70b@deepinfra',
  },
  // The PDF (counted as 10 pages, 30k tokens) rules out every model that cannot read files, and the cap rules out Sonnet.
  { prompt: 'What are the risks in this report?', extra: { messages: [] }, task: 'analysis', complexity: 'medium', chosen: 'google/gemini-2.5-flash@google' },
];

function requestFor(row: Row): ChatRequest {
  if (row.extra?.messages !== undefined) {
    return { messages: [{ role: 'user', content: [{ type: 'text', text: row.prompt }, pdf] }] };
  }
  return chat(row.prompt, row.extra);
}

describe('perpetuo/auto', () => {
  for (const row of TABLE) {
    it(`${row.task}, ${row.complexity}: "${row.prompt.slice(0, 40).replace(/\n/g, ' ')}…" → ${row.chosen}`, () => {
      const result = plan('perpetuo/auto', { chat: requestFor(row), policy: { maxCostPerRequestUsd: 0.05 } });
      assert.equal(result.analysis?.taskType, row.task);
      assert.equal(result.analysis?.complexity, row.complexity);
      assert.equal(`${result.targets[0]?.modelId}@${result.targets[0]?.provider}`, row.chosen);
      assert.match(result.explanation, new RegExp(`^${row.task}, ${row.complexity} complexity, \\d+(\\.\\d)?k? tokens → ${row.chosen.split('@')[0]} via ${row.chosen.split('@')[1]}: .* under your \\$0\\.05/request cap`));
    });
  }

  it('reads like the issue example for a code edit restricted to Anthropic and OpenAI', () => {
    const result = plan('perpetuo/auto', {
      chat: chat(`Refactor this function to use async/await:\n\`\`\`ts\n${'const value = await load(id);\n'.repeat(370)}\`\`\``),
      policy: { maxCostPerRequestUsd: 0.05, autoCandidates: ['anthropic/*', 'openai/*'] },
      providers: ['anthropic', 'openai'],
    });
    assert.match(result.explanation, /^code, medium complexity, 3\.\dk tokens → anthropic\/claude-sonnet-4\.5 via anthropic: tier 2 is the closest fit for medium code work, est\. \$0\.0\d+ under your \$0\.05\/request cap/);
    assert.deepEqual(result.scope, { models: 4, outOfScope: 3, note: 'autoCandidates [anthropic/*, openai/*]' });
  });

  it('is budget-aware: a tight cap moves a hard task to the best model under it', () => {
    const prompt = 'Design a distributed rate limiter architecture; think through the edge cases and race conditions step by step.';
    const result = plan('perpetuo/auto', { chat: chat(prompt), policy: { maxCostPerRequestUsd: 0.005 } });
    assert.equal(result.analysis?.desiredTier, 1);
    assert.equal(result.targets[0]?.modelId, 'google/gemini-2.5-flash');
    assert.match(result.explanation, /best available \(tier 2; tier 1 wanted\)/);
    assert.ok(result.rejected.some((entry) => entry.modelId === 'openai/gpt-5' && entry.reason === 'cost-cap'));
  });

  it('counts attachments and tools in the analysis', () => {
    const request: ChatRequest = {
      messages: [{ role: 'user', content: [{ type: 'text', text: 'Review these.' }, pdf, pdf] }],
      tools: [{ name: 'search', inputSchema: {} }],
    };
    const analysis = analysePrompt(request, estimateRequestTokens(request));
    assert.deepEqual(analysis.attachments, { images: 0, audio: 0, video: 0, files: 2 });
    assert.ok(analysis.signals.includes('tools'));
    assert.ok(analysis.signals.includes('document attached'));
  });
});
