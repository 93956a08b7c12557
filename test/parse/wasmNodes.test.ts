// The lowering reads syntax trees straight from tree-sitter's memory (wasmNodes.ts), whose layout
// is internal to tree-sitter: check every node of every fixture, example, construct of the grammar
// (aliased keywords among them), broken text and incrementally re-parsed tree against what
// web-tree-sitter's own Node API says about it.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { Edit, type Node, type Tree } from 'web-tree-sitter';
import { NODE_STRIDE, NodeReader } from '../../server/src/parse/wasmNodes';
import { pythonParser } from '../helpers/analyze';

const ROOT = join(__dirname, '..', '..');

function pythonFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? pythonFiles(join(dir, e.name)) : e.name.endsWith('.py') ? [join(dir, e.name)] : []));
}

/** Compares a node and, recursively, its children; returns how many nodes were compared. */
function compare(reader: NodeReader, at: number, node: Node, where: string): number {
  assert.equal(reader.typeId(at), node.typeId, `${where}: type`);
  assert.equal(reader.startIndex(at), node.startIndex, `${where}: start`);
  assert.equal(reader.endIndex(at), node.endIndex, `${where}: end`);
  assert.equal(reader.hasError(at), node.hasError, `${where}: hasError`);
  let compared = 1;
  for (const namedOnly of [true, false]) {
    const expected = namedOnly ? node.namedChildren : node.children;
    const kids = reader.children(at, namedOnly);
    const count = reader.countFrom(kids);
    try {
      assert.equal(count, expected.length, `${where}: ${namedOnly ? 'named ' : ''}children of ${node.type}`);
      // Anonymous tokens are compared as leaves; named children are walked from the first list.
      for (let i = 0; i < count; i++) {
        const child = kids + i * NODE_STRIDE;
        if (namedOnly) compared += compare(reader, child, expected[i]!, `${where}/${i}`);
        else {
          assert.equal(reader.typeId(child), expected[i]!.typeId, `${where}/${i}: token type`);
          assert.equal(reader.startIndex(child), expected[i]!.startIndex, `${where}/${i}: token start`);
        }
      }
    } finally {
      reader.release(kids);
    }
  }
  return compared;
}

function compareTree(tree: Tree, name: string): number {
  const reader = new NodeReader(tree);
  const root = reader.place(reader.root());
  try {
    return compare(reader, root, tree.rootNode, name);
  } finally {
    reader.release(root);
  }
}

describe('the wasm node reader', () => {
  it('agrees with the Node API on every node of every fixture and example', async () => {
    const parser = await pythonParser();
    const files = [...pythonFiles(join(ROOT, 'test', 'fixtures')), ...pythonFiles(join(ROOT, 'examples'))];
    assert.ok(files.length > 40, `found only ${files.length} files`);
    let nodes = 0;
    for (const file of files) {
      const tree = parser.parse(readFileSync(file, 'utf8'))!;
      try {
        nodes += compareTree(tree, file);
      } finally {
        tree.delete();
      }
    }
    assert.ok(nodes > 10_000, `compared only ${nodes} nodes`);
  });

  it('agrees on broken text, non-ASCII text and an empty file', async () => {
    const parser = await pythonParser();
    const texts = ['', 'x = (1,\nrecipe.trainer.strategy. = 4\ndef f(:\n  return', 'größe = "ü🙂" + f"{a!r:>{w}}"\n# ☃\nn = 1', 'if x:\n\tpass\nelse\n  y = [1, 2'];
    for (const [i, text] of texts.entries()) {
      const tree = parser.parse(text)!;
      try {
        assert.ok(compareTree(tree, `text ${i}`) >= 1);
      } finally {
        tree.delete();
      }
    }
  });
  it('agrees on every construct of the grammar, aliased keywords among them', async () => {
    const parser = await pythonParser();
    const tree = parser.parse(CONSTRUCTS)!;
    try {
      assert.equal(tree.rootNode.hasError, false, 'the constructs parse cleanly');
      assert.ok(compareTree(tree, 'constructs') > 400);
    } finally {
      tree.delete();
    }
  });

  it('agrees on trees re-parsed after edits, which share subtrees with the old tree', async () => {
    const parser = await pythonParser();
    let text = readFileSync(join(ROOT, 'examples', 'llama3_70b_pretrain_slurm.py'), 'utf8') + CONSTRUCTS;
    let tree = parser.parse(text)!;
    try {
      // Insertions and deletions at spread-out places, some of them breaking the syntax.
      for (const [k, insert] of ['(', '', 'x = [1,\n', '', 'def g(:\n', 'print "a"\n', ''].entries()) {
        const at = Math.floor((text.length * (k + 1)) / 9);
        const removed = insert ? 0 : 7;
        const before = text;
        text = text.slice(0, at) + insert + text.slice(at + removed);
        tree.edit(new Edit({ startIndex: at, oldEndIndex: at + removed, newEndIndex: at + insert.length, startPosition: point(before, at), oldEndPosition: point(before, at + removed), newEndPosition: point(text, at + insert.length) }));
        const next = parser.parse(text, tree)!;
        tree.delete();
        tree = next;
        assert.ok(compareTree(tree, `after edit ${k}`) > 100);
      }
    } finally {
      tree.delete();
    }
  });
});

function point(text: string, index: number): { row: number; column: number } {
  const before = text.slice(0, index).split('\n');
  return { row: before.length - 1, column: before[before.length - 1]!.length };
}

/** Python 2 and 3 constructs, with the soft keywords the grammar aliases to identifiers. */
const CONSTRUCTS = String.raw`from __future__ import annotations
from . import sibling
from ..pkg.mod import (a as b, c)
import os.path as osp, sys
print "legacy", x
print >> sys.stderr, "to stderr"
exec "code" in scope
match = 1
type = match + 1
print = lambda *a, **k: None
async def fetch(u, /, v, *, w: int = 2, **rest) -> dict[str, int]:
    async with session() as s, other():
        async for item in s:
            await item
    return {k: v async for k, v in rest.items() if k}
type Alias[T] = list[T]
match command.split():
    case [action, *objects] if action:
        pass
    case {"key": value, **others}:
        pass
    case Point(x=0, y=yy) | None:
        pass
    case "a" | "b" as ab:
        pass
    case _:
        pass
@decorator(arg)
@other.attr
class C(Base, metaclass=Meta):
    """Doc."""
    field: int = 0
    def method(self, *args, key=None):
        global g
        del self.x, args[0]
        assert key is not None, "message"
        raise ValueError("v") from None
try:
    y = (yield from gen()) if cond else ~z @ w
except* (TypeError, KeyError) as e:
    pass
finally:
    pass
while (n := next(it)) not in seen and n is not None or not done:
    seen[1:2:3] = ..., {1, 2}, [i for i in range(3)], {i: i for i in ()}, (i for i in [])
    continue
else:
    z = -1 ** 2 // 3 % 4 << 5 >> 6 & 7 | 8 ^ 9
s = f"{a!r:>{width}} {b=}" rb'\x00' "implicit" 'concat' """triple
quoted""" + u"unicode"
x += 1; x -= 1; x *= 2; x @= m; x //= 3; x **= 2; x >>= 1; x <<= 1; x &= 1; x |= 1; x ^= 1
with open("f") as (a, b):
    for i, (j, *k) in enumerate(z):
        pass
f = lambda: (yield)
`;
