// The recipe catalogs as the bundles hold them (scripts/lazyJson.mjs): every entry, read through
// the lazily parsed module and the text file beside it, is the value JSON.parse makes of the file,
// with its keys in the same order; reading one recipe parses that recipe, not the catalog.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { loadCatalog } from '../../server/src/catalog/load';

type Json = Record<string, Record<string, unknown>>;

const CATALOG = join(__dirname, '..', '..', 'server', 'catalog');
const dir = mkdtempSync(join(tmpdir(), 'recipe-lens-lazy-'));
const modules: Record<string, { text: string; eager: Json; lazy: () => Json }> = {};

before(async () => {
  const { lazyJsonModule } = await import('../../scripts/lazyJson.mjs');
  for (const name of ['nemo-recipes', 'bridge-recipes']) {
    const text = readFileSync(join(CATALOG, `${name}.json`), 'utf8');
    const file = join(dir, `${name}.js`);
    const built = lazyJsonModule(text, `${name}.txt`);
    writeFileSync(file, built.module);
    writeFileSync(join(dir, `${name}.txt`), built.text, 'latin1');
    // A fresh module each time, so that what one test reads is not already parsed for the next.
    const lazy = () => {
      delete require.cache[file];
      return require(file) as Json;
    };
    modules[name] = { text, eager: JSON.parse(text) as Json, lazy };
  }
});

after(() => rmSync(dir, { recursive: true, force: true }));

/** Counts the characters JSON.parse is given while `f` runs. */
function parsedWhile(f: () => void): number {
  const parse = JSON.parse;
  let chars = 0;
  JSON.parse = (text: string, reviver?: Parameters<typeof parse>[1]) => {
    chars += text.length;
    return parse(text, reviver);
  };
  try {
    f();
  } finally {
    JSON.parse = parse;
  }
  return chars;
}

describe('the lazily parsed catalogs', () => {
  for (const name of ['nemo-recipes', 'bridge-recipes']) {
    it(`${name}: every entry is what JSON.parse makes of the file, keys in the same order`, () => {
      const { eager } = modules[name]!;
      const lazy = modules[name]!.lazy();
      assert.deepEqual(Object.keys(lazy), Object.keys(eager));
      for (const section of Object.keys(eager)) {
        const value = eager[section]!;
        if (typeof value !== 'object' || value === null || Array.isArray(value)) {
          assert.deepStrictEqual(lazy[section], value, section);
          continue;
        }
        assert.deepEqual(Object.keys(lazy[section]!), Object.keys(value), section);
        for (const key of Object.keys(value)) {
          assert.ok(key in lazy[section]!, `${section}.${key}`);
          assert.deepStrictEqual(lazy[section]![key], value[key], `${section}.${key}`);
          assert.equal(JSON.stringify(lazy[section]![key]), JSON.stringify(value[key]), `${section}.${key} in order`);
        }
        assert.equal('not a key' in lazy[section]!, false);
      }
      assert.equal(JSON.stringify(lazy), JSON.stringify(eager));
    });
  }

  it('parses only what is read', () => {
    const { text } = modules['nemo-recipes']!;
    let recipe: unknown;
    const parsed = parsedWhile(() => {
      const catalog = loadCatalog<Json>(modules['nemo-recipes']!.lazy());
      recipe = catalog['recipes']!['llama3_8b'];
      assert.ok(JSON.stringify(recipe).length > 2000);
    });
    assert.ok(parsed < text.length / 10, `${parsed} of ${text.length} characters parsed`);
    const bridge = parsedWhile(() => assert.equal('Gemma3ModelProvider1B' in loadCatalog<Json>(modules['bridge-recipes']!.lazy())['providers']!, true));
    assert.ok(bridge < modules['bridge-recipes']!.text.length / 10, `${bridge} characters of the Bridge catalog parsed for its providers`);
  });

  it('loads without the comment, and keeps what is written to it', () => {
    const catalog = loadCatalog<Json>(modules['nemo-recipes']!.lazy());
    assert.equal('$comment' in catalog, false);
    assert.deepEqual(Object.keys(catalog), Object.keys(modules['nemo-recipes']!.eager).filter((k) => k !== '$comment'));
    const recipes = catalog['recipes']!;
    recipes['llama3_8b'] = { replaced: true };
    assert.deepStrictEqual(recipes['llama3_8b'], { replaced: true });
  });
});
