// Lowering reads token ends off the text for leaves; check them against tree-sitter's own.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lowerModule } from '../../server/src/parse/lower';
import type { Expr, Stmt } from '../../server/src/parse/syntax';
import { pythonParser } from '../helpers/analyze';

async function lowerExpr(source: string): Promise<Expr> {
  const parser = await pythonParser();
  const tree = parser.parse(source)!;
  const [stmt] = lowerModule(tree, source).stmts as Stmt[];
  tree.delete();
  assert.equal(stmt!.t, 'assign');
  return (stmt as Extract<Stmt, { t: 'assign' }>).value!;
}

describe('lowering', () => {
  const cases: [string, Partial<Expr>][] = [
    ['1e-5', { t: 'float', v: 1e-5 }],
    ['3.0E+2', { t: 'float', v: 300 }],
    ['1_000', { t: 'int', v: 1000 }],
    ['0x1F', { t: 'int', v: 31 }],
    ['größe', { t: 'name', id: 'größe' }],
    ["r'a\\\\b'", { t: 'str', v: 'a\\\\b' }],
    ['"tab\\there"', { t: 'str', v: 'tab\there' }],
    ['"""multi\nline"""', { t: 'str', v: 'multi\nline' }],
    ["'a' 'b'", { t: 'str', v: 'ab' }],
  ];
  for (const [text, expected] of cases) {
    it(`reads ${JSON.stringify(text)}`, async () => {
      const source = `x = ${text}\n`;
      const e = await lowerExpr(source);
      for (const [k, v] of Object.entries(expected)) assert.deepEqual((e as unknown as Record<string, unknown>)[k], v);
      assert.equal(source.slice(e.s, e.e), text, 'span');
    });
  }

  it('reads f-strings with interpolations', async () => {
    const e = await lowerExpr('x = f"tp{tp}-{pp!r}"\n');
    assert.equal(e.t, 'fstr');
    assert.deepEqual((e as Extract<Expr, { t: 'fstr' }>).parts.map((p) => (typeof p === 'string' ? p : p.t)), ['tp', 'name', '-', 'name']);
  });

  it('gives calls and attribute chains their full span', async () => {
    const source = 'x = llm.llama3_8b.pretrain_recipe(num_nodes=2, name=f("a"))\n';
    const e = await lowerExpr(source);
    assert.equal(source.slice(e.s, e.e), 'llm.llama3_8b.pretrain_recipe(num_nodes=2, name=f("a"))');
  });
});
