// Parsing and incremental re-parsing: after any sequence of edits, the document's text and tree
// are those of a fresh parse of the final text; positions are UTF-16 code units.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PythonDocument, type TextChange } from '../../server/src/parse/document';
import { LineIndex, OffsetRange } from '../../server/src/parse/positions';
import { pythonParser } from '../helpers/analyze';

const SOURCE = `import nemo_run as run
from nemo.collections import llm

recipe = llm.llama3_8b.pretrain_recipe(num_nodes=2)
recipe.trainer.strategy.tensor_model_parallel_size = 4  # café ☕
`;

async function freshTree(text: string): Promise<string> {
  const parser = await pythonParser();
  const tree = parser.parse(text)!;
  const s = tree.rootNode.toString();
  tree.delete();
  return s;
}

function replace(text: string, change: TextChange): string {
  const index = new LineIndex(text);
  return text.slice(0, index.offsetAt(change.range.start)) + change.text + text.slice(index.offsetAt(change.range.end));
}

const at = (line: number, character: number) => ({ line, character });

describe('PythonDocument', () => {
  it('re-parses incrementally to the same tree as a fresh parse', async () => {
    const parser = await pythonParser();
    const doc = PythonDocument.parse(parser, SOURCE);
    const edits: TextChange[][] = [
      [{ range: { start: at(4, 53), end: at(4, 54) }, text: '8' }],
      [{ range: { start: at(3, 49), end: at(3, 50) }, text: '16' }],
      [{ range: { start: at(5, 0), end: at(5, 0) }, text: 'recipe.data.global_batch_size = 512\n' }],
      // Two changes in one notification, the second relative to the text after the first.
      [
        { range: { start: at(0, 0), end: at(1, 0) }, text: '' },
        { range: { start: at(3, 0), end: at(3, 6) }, text: 'r' },
      ],
      // A half-typed line: the tree has an error, the edit still applies.
      [{ range: { start: at(4, 0), end: at(4, 0) }, text: 'recipe.trainer.strategy.pipeline_model_parallel_size = (\n' }],
    ];
    let expected = SOURCE;
    for (const batch of edits) {
      for (const change of batch) expected = replace(expected, change);
      doc.applyChanges(batch);
      assert.equal(doc.text, expected);
      assert.equal(doc.tree.rootNode.toString(), await freshTree(expected));
    }
    assert.ok(doc.tree.rootNode.hasError, 'the half-typed line is a syntax error');
    doc.dispose();
  });

  it('counts columns in UTF-16 code units, as LSP does', async () => {
    const parser = await pythonParser();
    const text = 'x = "é😀"; y = 4\n';
    const doc = PythonDocument.parse(parser, text);
    const y = doc.tree.rootNode.descendantForIndex(text.indexOf('y'))!;
    assert.deepEqual(y.startPosition, { row: 0, column: text.indexOf('y') });
    assert.equal(doc.lines.positionAt(text.indexOf('4')).character, 15);
    doc.dispose();
  });

  it('clamps positions past the end of a line or the text', () => {
    const index = new LineIndex('ab\ncd');
    assert.equal(index.offsetAt(at(0, 99)), 2);
    assert.equal(index.offsetAt(at(9, 0)), 5);
    assert.deepEqual(index.positionAt(4), at(1, 1));
  });
});

describe('OffsetRange', () => {
  it('reads as the range of its offsets, and serialises as a plain range', () => {
    const range = new OffsetRange(new LineIndex('a = 1\nbb = "é😀"\n'), 2, 15);
    assert.deepEqual(range.start, at(0, 2));
    assert.deepEqual(range.end, at(1, 9));
    assert.equal(range.start, range.start, 'a position is worked out once');
    assert.deepEqual(JSON.parse(JSON.stringify({ range })), { range: { start: at(0, 2), end: at(1, 9) } });
  });
});
