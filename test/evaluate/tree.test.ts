// A recipe tree makes an object's attributes when first read; what it makes must be what a whole
// tree would have held, identity numbers included.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { State } from '../../server/src/evaluate/state';
import { fromLiteral } from '../../server/src/evaluate/tree';
import type { ListValue, ObjectValue, Provenance, Value } from '../../server/src/evaluate/values';

const PROV: Provenance = { source: 'recipe-default', range: null, detail: 'set by a test' };

const LITERAL = {
  _target_: 'Root',
  _partial_: true,
  a: { _target_: 'A', x: 1, y: [{ _target_: 'Item', z: 2 }, { plain: { deep: null } }], w: true },
  b: [1, 2, [3]],
  c: { key: { _target_: 'C', v: 'text' } },
  d: 4.5,
};

/** Every container reached from a value, parents before children, in attribute order. */
function containers(v: Value, out: { id: number; path: string }[] = [], path = ''): { id: number; path: string }[] {
  if (v.kind === 'object') {
    out.push({ id: v.id, path });
    for (const [k, a] of v.attrs) containers(a, out, `${path}.${k}`);
  } else if (v.kind === 'list' || v.kind === 'tuple') {
    out.push({ id: v.id, path });
    assert.ok(Array.isArray(v.items), `the items of ${path} are known`);
    v.items.forEach((a, i) => containers(a, out, `${path}[${i}]`));
  } else if (v.kind === 'dict') {
    out.push({ id: v.id, path });
    for (const [k, a] of v.entries) containers(a, out, `${path}["${k}"]`);
  }
  return out;
}

describe('recipe trees', () => {
  it('number their containers in the order of a walk of the literal, one block per tree, however late they are made', () => {
    const state = new State(1_000);
    const before = state.newId();
    const root = fromLiteral(state, LITERAL, PROV) as ObjectValue;
    const after = state.newId();
    // Read the deepest object first: numbers do not depend on the order of first reads.
    const a = root.attrs.get('a') as ObjectValue;
    const item = ((a.attrs.get('y') as ListValue).items as Value[])[0] as ObjectValue;
    assert.equal(item.cls, 'Item');
    const walked = containers(root);
    assert.deepEqual(
      walked.map((c) => c.path),
      ['', '.a', '.a.y', '.a.y[0]', '.a.y[1]', '.a.y[1]["plain"]', '.b', '.b[2]', '.c', '.c["key"]'],
    );
    assert.deepEqual(
      walked.map((c) => c.id),
      walked.map((_, i) => before + 1 + i),
    );
    assert.equal(after, before + 1 + walked.length);
    assert.equal(item.id, walked.find((c) => c.path === '.a.y[0]')!.id);
  });

  it('make an attribute once, with the tree\'s provenance, and keep what the program sets', () => {
    const state = new State(1_000);
    const root = fromLiteral(state, LITERAL, PROV) as ObjectValue;
    assert.equal(root.form, 'partial');
    const a = root.attrs.get('a') as ObjectValue;
    assert.equal(root.attrs.get('a'), a);
    assert.deepEqual(a.attrs.get('x'), { kind: 'int', value: 1, prov: PROV });
    assert.equal(a.attrs.get('x'), a.attrs.get('x'));
    assert.equal(root.attrs.get('missing'), undefined);
    assert.equal(root.attrs.has('d'), true);
    assert.equal(root.attrs.has('_target_'), false);
    const set: Value = { kind: 'int', value: 7, prov: PROV };
    a.attrs.set('x', set);
    a.attrs.set('added', set);
    assert.equal(a.attrs.get('x'), set);
    assert.deepEqual([...a.attrs.keys()], ['x', 'y', 'w', 'added']);
    assert.equal(a.attrs.delete('added'), true);
    assert.equal(a.attrs.delete('w'), true);
    assert.equal(a.attrs.has('w'), false);
    assert.equal(a.attrs.get('w'), undefined);
    assert.equal(a.attrs.delete('w'), false);
    assert.deepEqual([...a.attrs.keys()], ['x', 'y']);
    a.attrs.set('w', set);
    assert.deepEqual([...a.attrs].map(([k, v]) => [k, v.kind]), [['x', 'int'], ['y', 'list'], ['w', 'int']]);
  });

  it('delete an attribute of the literal that was never read', () => {
    const root = fromLiteral(new State(1_000), LITERAL, PROV) as ObjectValue;
    assert.equal(root.attrs.delete('d'), true);
    assert.equal(root.attrs.has('d'), false);
    assert.deepEqual([...root.attrs.keys()], ['a', 'b', 'c']);
  });

  it('share one None, True and False per tree', () => {
    const state = new State(1_000);
    const one = fromLiteral(state, { _target_: 'T', p: null, q: null, r: true, s: { _target_: 'U', t: true } }, PROV) as ObjectValue;
    assert.equal(one.attrs.get('p'), one.attrs.get('q'));
    assert.equal(one.attrs.get('r'), (one.attrs.get('s') as ObjectValue).attrs.get('t'));
    const two = fromLiteral(state, { _target_: 'T', p: null }, PROV) as ObjectValue;
    assert.notEqual(two.attrs.get('p'), one.attrs.get('p'));
  });
});
