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

  it('names the keys changed between two versions of one era, or of eras one compaction apart, and none further', () => {
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
    // An era compacts once it has logged max(64, its base's size) changes: at versions 64 and 128 here.
    const eras = new VersionedMap<string, number>();
    for (let key = 0; key < 100; key++) eras.set(`k${key}`, key);
    const inSecondEra = eras.current();
    for (let step = 0; step < 40; step++) eras.set(`k${step % 7}`, -step);
    const inThirdEra = eras.current();
    const crossing = inThirdEra.changedKeysSince(inSecondEra);
    assert.deepEqual(crossing, Array.from({ length: 40 }, (_, step) => `k${step % 7}`), 'one compaction apart: every change since, in order');
    assert.deepEqual(inSecondEra.changedKeysSince(inThirdEra), crossing, 'either way round');
    for (let step = 0; step < 200; step++) map.set('k3', step);
    assert.equal(map.current().changedKeysSince(before), undefined, 'compacted twice since: too far back');
  });

  it('catches a copy up across a compaction: the named keys are all that differ', () => {
    const map = new VersionedMap<string, number>();
    for (let key = 0; key < 80; key++) map.set(`k${key}`, key);
    const old = map.current();
    const copy = new Map(old);
    // From version 80 (second era, from 64) to 180 (third era, from 128; the next compaction is past 200).
    for (let step = 0; step < 100; step++) {
      if (step % 11 === 0) map.delete(`k${step % 80}`);
      else map.set(`k${(step * 13) % 90}`, step);
    }
    const now = map.current();
    const changed = now.changedKeysSince(old);
    assert.ok(changed !== undefined, 'one compaction apart');
    for (const key of changed) {
      const value = now.get(key);
      if (value === undefined) copy.delete(key);
      else copy.set(key, value);
    }
    assert.deepEqual(new Map([...copy].sort()), new Map([...now].sort()));
  });
});
