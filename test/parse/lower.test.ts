// Lowering reads token ends off the text for leaves; check them against tree-sitter's own.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { lowerModule, lowerStatements } from '../../server/src/parse/lower';
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

  it('lowers a module one statement at a time as it lowers it whole, bodies lowered in between', async () => {
    const parser = await pythonParser();
    const root = join(__dirname, '..', '..');
    const files = [...pythonFiles(join(root, 'examples')), ...pythonFiles(join(root, 'test', 'fixtures'))];
    assert.ok(files.length > 50);
    for (const file of files) {
      const source = readFileSync(file, 'utf8');
      const tree = parser.parse(source)!;
      try {
        const whole = plain(lowerModule(tree, source).stmts);
        // Lowering a function body while the module's walk is suspended, as a call does, reuses
        // the raw nodes the walk reads into: it must not change what the walk goes on to lower.
        const streamed: unknown[] = [];
        for (const stmt of lowerStatements(tree, source)) streamed.push(plain(stmt));
        assert.deepEqual(streamed, whole, file);
      } finally {
        tree.delete();
      }
    }
  });

  it('streams each function body on its first run as it lowers it whole, with other bodies streamed in between', async () => {
    const parser = await pythonParser();
    const root = join(__dirname, '..', '..');
    const files = [...pythonFiles(join(root, 'examples')), ...pythonFiles(join(root, 'test', 'fixtures'))];
    let bodies = 0;
    for (const file of files) {
      const source = readFileSync(file, 'utf8');
      const tree = parser.parse(source)!;
      try {
        const kept = lowerModule(tree, source).stmts.filter((s) => s.t === 'def');
        const defs = [...lowerStatements(tree, source)].filter((s) => s.t === 'def');
        assert.equal(defs.length, kept.length, file);
        const got: unknown[][] = defs.map(() => []);
        // Each body's first run streams; the next body runs whole after its first statement,
        // as a call in that statement would, and so on down the file.
        const run = (i: number): void => {
          let nested = i + 1 < defs.length;
          const first = defs[i]!.body.once!();
          assert.ok(!Array.isArray(first), 'a first run streams');
          for (const stmt of first) {
            got[i]!.push(plain(stmt));
            if (nested) {
              nested = false;
              run(i + 1);
            }
          }
          if (nested) run(i + 1);
        };
        if (defs.length) run(0);
        defs.forEach((def, i) => {
          const whole = plain(kept[i]!.body.stmts);
          assert.deepEqual(got[i], whole, `${file}: ${def.name}`);
          // A second run is lowered again, whole, and kept.
          assert.deepEqual(plain([...def.body.once!()]), whole, `${file}: ${def.name}, run again`);
          assert.equal(def.body.once!(), def.body.stmts);
        });
        bodies += defs.length;
      } finally {
        tree.delete();
      }
    }
    assert.ok(bodies > 20, `${bodies} function bodies`);
  });

  it('gives calls and attribute chains their full span', async () => {
    const source = 'x = llm.llama3_8b.pretrain_recipe(num_nodes=2, name=f("a"))\n';
    const e = await lowerExpr(source);
    assert.equal(source.slice(e.s, e.e), 'llm.llama3_8b.pretrain_recipe(num_nodes=2, name=f("a"))');
  });
});

function* pythonFiles(dir: string): Generator<string> {
  for (const name of readdirSync(dir).sort()) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) yield* pythonFiles(full);
    else if (name.endsWith('.py')) yield full;
  }
}

/** Lowered syntax as plain data, function bodies (lowered on first use) included. */
function plain(x: unknown): unknown {
  if (Array.isArray(x)) return x.map(plain);
  if (x === null || typeof x !== 'object') return x;
  if ('stmts' in x) return { stmts: plain((x as { stmts: unknown }).stmts) };
  return Object.fromEntries(Object.entries(x).map(([k, v]) => [k, plain(v)]));
}
