// The lowering reads node records straight from web-tree-sitter's wasm binding (wasmNodes.ts), an
// internal interface: check every node of every fixture, example and broken text against what
// web-tree-sitter's own Node API says about it.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { Node, Tree } from 'web-tree-sitter';
import { NODE_BYTES, NodeReader } from '../../server/src/parse/wasmNodes';
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
    const { count, at: kids } = reader.children(at, namedOnly);
    try {
      assert.equal(count, expected.length, `${where}: ${namedOnly ? 'named ' : ''}children of ${node.type}`);
      // Anonymous tokens are compared as leaves; named children are walked from the first list.
      for (let i = 0; i < count; i++) {
        const child = kids + i * NODE_BYTES;
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
});
