// The server does not validate the catalogs when it loads them (that cost every start about
// 45 ms): this test does, for the whole of each file, against the zod schemas that give the server
// its types. It also checks that what the server loads is exactly what validation returns, so
// skipping it at run time changes nothing the server sees.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { bridgeCatalog } from '../../server/src/catalog/bridgeRecipes';
import { nemoCatalog } from '../../server/src/catalog/nemoRecipes';
import { BridgeCatalogSchema, GpuCatalogSchema, NemoCatalogSchema } from '../../server/src/catalog/schemas';

const CATALOG = join(__dirname, '..', '..', 'server', 'catalog');
const read = (name: string): unknown => JSON.parse(readFileSync(join(CATALOG, name), 'utf8'));

describe('the catalogs match their schemas', () => {
  it('nemo-recipes.json', () => {
    const result = NemoCatalogSchema.safeParse(read('nemo-recipes.json'));
    assert.ok(result.success, result.error?.message);
    assert.deepEqual(nemoCatalog(), result.data);
  });

  it('bridge-recipes.json', () => {
    const result = BridgeCatalogSchema.safeParse(read('bridge-recipes.json'));
    assert.ok(result.success, result.error?.message);
    assert.deepEqual(bridgeCatalog(), result.data);
  });

  it('gpus.json', () => {
    const { $comment: _comment, ...raw } = read('gpus.json') as Record<string, unknown>;
    const result = GpuCatalogSchema.safeParse(raw);
    assert.ok(result.success, result.error?.message);
    // memory/gpus.ts reads the file itself: validation must return it unchanged.
    assert.deepEqual(result.data, raw);
  });

  it('rejects a catalog that breaks them', () => {
    const nemo = read('nemo-recipes.json') as { recipes: Record<string, { source: { commit: string } }> };
    Object.values(nemo.recipes)[0]!.source.commit = 'not a commit';
    assert.equal(NemoCatalogSchema.safeParse(nemo).success, false);
    const bridge = read('bridge-recipes.json') as { recipes: { snapshot: string }[] };
    bridge.recipes[0]!.snapshot = 'v9.9.9';
    assert.equal(BridgeCatalogSchema.safeParse(bridge).success, false);
    const gpus = read('gpus.json') as { gpus: { usableMiB: { value: number; source: string }; fp8: { source: string } }[] };
    gpus.gpus[0]!.usableMiB.value = 81559.5;
    assert.equal(GpuCatalogSchema.safeParse(gpus).success, false);
    gpus.gpus[0]!.usableMiB.value = 81559;
    assert.equal(GpuCatalogSchema.safeParse(gpus).success, true);
    gpus.gpus[1]!.fp8.source = '';
    assert.equal(GpuCatalogSchema.safeParse(gpus).success, false);
  });
});
