import assert from 'node:assert/strict';
import { getOrCreate } from '../../../src/core/routing/get-or-create';

describe('getOrCreate', () => {
  it('makes the value of a key once, from the key, and returns the kept one after', () => {
    const store = new WeakMap<object, { made: number }>();
    const key = {};
    let calls = 0;
    const create = (): { made: number } => ({ made: ++calls });
    const first = getOrCreate(store, key, create);
    assert.equal(getOrCreate(store, key, create), first);
    assert.equal(calls, 1);
    assert.equal(store.get(key), first);
    assert.notEqual(getOrCreate(store, {}, create), first, 'another key, another value');
    assert.deepEqual(getOrCreate(new Map<string, number>(), 'abc', (name) => name.length), 3);
  });
});
