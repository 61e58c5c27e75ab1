import assert from 'node:assert/strict';
import { ContentCache } from '../../../src/core/routing/content-cache';

describe('ContentCache', () => {
  it('finds a value by equal content in new arrays', () => {
    const cache = new ContentCache<string>(4);
    cache.set(['route', ['a/*', 'b/*'], undefined], 'kept');
    assert.equal(cache.get(['route', ['a/*', 'b/*'], undefined])?.value, 'kept');
  });

  it('tells apart other content, order, list boundaries, an empty list and none', () => {
    const cache = new ContentCache<string>(8);
    cache.set(['route', ['a/*', 'b/*'], undefined], 'kept');
    for (const other of [
      ['auto', ['a/*', 'b/*'], undefined],
      ['route', ['b/*', 'a/*'], undefined],
      ['route', ['a/*'], ['b/*']],
      ['route', ['a/*', 'b/*'], []],
      ['route', ['a/*', 'b/*']],
      ['route', ['a/*', 'b/*'], undefined, undefined],
      ['route', ['a/*', 'b/*', 'c/*'], undefined],
      ['route', 'a/*', undefined],
    ]) {
      assert.equal(cache.get(other), undefined, JSON.stringify(other));
    }
  });

  it('keeps a copy of the key: a list edited in place no longer finds its old value', () => {
    const cache = new ContentCache<string>(4);
    const globs = ['a/*'];
    cache.set([globs], 'for a/*');
    globs.push('b/*');
    assert.equal(cache.get([globs]), undefined);
    assert.equal(cache.get([['a/*']])?.value, 'for a/*');
  });

  it('keeps a value that is undefined apart from a miss', () => {
    const cache = new ContentCache<RegExp | undefined>(4);
    cache.set([[]], undefined);
    assert.ok(cache.get([[]]) !== undefined, 'found, holding undefined');
    assert.equal(cache.get([['x']]), undefined);
  });

  it('holds at most `capacity` entries, dropping the least recently used', () => {
    const cache = new ContentCache<number>(3);
    cache.set(['1'], 1);
    cache.set(['2'], 2);
    cache.set(['3'], 3);
    assert.equal(cache.get(['1'])?.value, 1, 'used again: now the most recent');
    cache.set(['4'], 4);
    assert.equal(cache.get(['2']), undefined, 'the least recently used went');
    for (const kept of [1, 3, 4]) {
      assert.equal(cache.get([String(kept)])?.value, kept);
    }
  });
});
