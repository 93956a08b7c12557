// The NeMo 2.0 recipe catalog: what every recipe factory sets, and the architecture of every
// model config class. The data is generated from the project's fact sheet (see
// scripts/build-nemo-catalog.mjs); each record names the NeMo file and commit it was read from.
// It is validated with zod once, when first used.
import { z } from 'zod';
import data from '../../catalog/nemo-recipes.json';

const Source = z.object({ repo: z.string(), commit: z.string().regex(/^[0-9a-f]{40}$/), path: z.string() });

/** A configuration tree: `{_target_: "MegatronStrategy", tensor_model_parallel_size: 4, ...}`. */
const Tree = z.looseObject({ _target_: z.string() });
const Scenario = z.union([Tree, z.object({ error: z.string() })]);
/** Dotted path -> the value a mode sets there. */
const Diff = z.record(z.string(), z.unknown());

const Recipe = z.object({
  source: Source,
  importable: z.boolean(),
  modelClass: z.string().nullable(),
  configClass: z.string().nullable(),
  hfId: z.string().optional(),
  functions: z.record(z.string(), z.record(z.string(), z.unknown())),
  pretrain: Scenario.optional(),
  pretrainPerformance: Diff.optional(),
  finetune: z
    .object({
      defaultPeftScheme: z.string().nullable(),
      fullSFT: Scenario.optional(),
      lora: Scenario.optional(),
      fullSFTPerformance: Diff.optional(),
      loraPerformance: Diff.optional(),
      packed: Diff.optional(),
    })
    .optional(),
  trainer: Tree.optional(),
});

const ParameterCount = z.looseObject({
  total: z.number().nullable().optional(),
  nonEmbedding: z.number().nullable().optional(),
  embedding: z.number().nullable().optional(),
  embeddingMatrices: z.number().optional(),
  method: z.string().nullable().optional(),
  vocabUsed: z.number().nullable().optional(),
  vocabSource: z.string().nullable().optional(),
});

const ModelConfig = z.object({
  source: Source,
  mro: z.array(z.string()),
  fields: z.record(z.string(), z.unknown()),
  effective: z.record(z.string(), z.unknown()),
  parameterCount: ParameterCount,
});

/** A class's constructor: positional parameter order and literal defaults. */
const ClassSignature = z.object({
  source: Source,
  params: z.array(z.string()),
  defaults: z.record(z.string(), z.unknown()),
});

const Catalog = z.object({
  source: z.looseObject({ repo: z.string(), commit: z.string() }),
  recipes: z.record(z.string(), Recipe),
  modelConfigs: z.record(z.string(), ModelConfig),
  classes: z.record(z.string(), ClassSignature),
  /** Fields of `MegatronMixedPrecision` set by each helper of recipes/precision/mixed_precision.py. */
  precisionHelpers: z.record(z.string(), z.record(z.string(), z.unknown())),
});

export type RecipeEntry = z.infer<typeof Recipe>;
export type ModelConfigEntry = z.infer<typeof ModelConfig>;
export type ConfigTree = z.infer<typeof Tree>;
export type ClassSignatureEntry = z.infer<typeof ClassSignature>;
export type NemoCatalog = z.infer<typeof Catalog>;

let parsed: NemoCatalog | undefined;

export function nemoCatalog(): NemoCatalog {
  parsed ??= Catalog.parse(data);
  return parsed;
}

export function isTree(x: unknown): x is ConfigTree {
  return typeof x === 'object' && x !== null && typeof (x as { _target_?: unknown })._target_ === 'string';
}

/** "nemo/collections/llm/recipes/llama3_8b.py at 8cfedd72" */
export function citation(source: z.infer<typeof Source>): string {
  return `${source.path} at ${source.repo}@${source.commit.slice(0, 8)}`;
}
