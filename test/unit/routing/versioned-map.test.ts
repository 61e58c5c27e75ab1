import assert from 'node:assert/strict';
import { VersionedMap } from '../../../src/core/routing/versioned-map';

describe('VersionedMap', () => {
  it('keeps every version handed out as it was, whatever is set or deleted later', () => {
    const map = new VersionedMap<string, number>();
    map.set('a', 1);
    map.set('b', 2);
    const first = map.current();
    map.set('a', 10);
    map.delete('b');
    map.set('c', 3);
    const second = map.current();
    assert.deepEqual([...first], [['a', 1], ['b', 2]]);
    assert.deepEqual([...second], [['a', 10], ['c', 3]]);
    assert.equal(first.get('a'), 1);
    assert.equal(first.has('c'), false);
    assert.equal(second.has('b'), false);
    assert.deepEqual([first.size, second.size, map.size], [2, 2, 2]);
    assert.equal(map.current(), second, 'no change: the same version');
  });

  it('matches a plain map after any sequence of changes, across compactions', () => {
    const map = new VersionedMap<string, number>();
    const plain = new Map<string, number>();
    const versions: Array<{ version: ReturnType<typeof map.current>; expected: Map<string, number> }> = [];
    let state = 3;
    const random = (): number => {
      state = (state * 48_271) % 2_147_483_647;
      return state / 2_147_483_647;
    };
    for (let step = 0; step < 3_000; step++) {
      const key = `k${Math.floor(random() * 40)}`;
      if (random() < 0.2) {
        map.delete(key);
        plain.delete(key);
      } else {
        map.set(key, step);
        plain.set(key, step);
      }
      if (step % 7 === 0) {
        versions.push({ version: map.current(), expected: new Map(plain) });
      }
    }
    for (const { version, expected } of versions) {
      assert.deepEqual(new Map(version), expected);
      assert.equal(version.size, expected.size);
      for (let key = 0; key < 40; key++) {
        assert.equal(version.get(`k${key}`), expected.get(`k${key}`));
      }
    }
  });

  it('names the keys changed between two versions of one era, and none across eras', () => {
    const map = new VersionedMap<string, number>();
    for (let key = 0; key < 100; key++) map.set(`k${key}`, key);
    map.set('k0', -1);
    const before = map.current();
    map.set('k1', -1);
    map.delete('k2');
    const after = map.current();
    assert.deepEqual(after.changedKeysSince(before), ['k1', 'k2']);
    assert.deepEqual(before.changedKeysSince(after), ['k1', 'k2'], 'either way round');
    assert.deepEqual(after.changedKeysSince(after), []);
    assert.equal(after.changedKeysSince(new Map(after)), undefined, 'a plain map: the caller compares entries');
    for (let step = 0; step < 200; step++) map.set('k3', step);
    assert.equal(map.current().changedKeysSince(before), undefined, 'compacted since: another era');
  });
});
