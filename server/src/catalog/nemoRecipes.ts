// The NeMo 2.0 recipe catalog: what every recipe factory sets, and the architecture of every
// model config class. The data is generated from the project's fact sheet (see
// scripts/build-nemo-catalog.mjs); each record names the NeMo file and commit it was read from.
// Its shape is the zod schema in schemas.ts, which the tests check the whole file against
// (test/catalog/schemas.test.ts); the server trusts the checked-in file and does not validate it
// again on every start.
import type { ConfigTree, NemoCatalog, NemoSource } from './schemas';
import { loadCatalog } from './load';

export type { ClassSignatureEntry, ConfigTree, ModelConfigEntry, NemoCatalog, RecipeEntry } from './schemas';

let parsed: NemoCatalog | undefined;

export function nemoCatalog(): NemoCatalog {
  // require(), not import: the catalog is read on first use, not when the server starts. Bundled,
  // it is JSON text in a file beside the bundle, each recipe, model config or part of one parsed
  // when first read (scripts/lazyJson.mjs); unbundled, this is the whole file.
  parsed ??= loadCatalog<NemoCatalog>(require('../../catalog/nemo-recipes.json'));
  return parsed;
}

export function isTree(x: unknown): x is ConfigTree {
  return typeof x === 'object' && x !== null && typeof (x as { _target_?: unknown })._target_ === 'string';
}

/** "nemo/collections/llm/recipes/llama3_8b.py at 8cfedd72" */
export function citation(source: NemoSource): string {
  return `${source.path} at ${source.repo}@${source.commit.slice(0, 8)}`;
}
