// The shapes of the catalogs (server/catalog/nemo-recipes.json, bridge-recipes.json and
// gpus.json), as zod schemas. The server does not run them: the catalogs are checked in and never
// change at run time, so test/catalog/schemas.test.ts validates them whole against these schemas,
// and the server only takes the types from here (nemoRecipes.ts, bridgeRecipes.ts and
// memory/gpus.ts import them as types, which the bundle drops). Validating 1.2 MB of catalog on
// every start cost the first diagnostics about 45 ms, for data that only a commit can change.
import * as z from 'zod';

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

export const NemoCatalogSchema = z.object({
  source: z.looseObject({ repo: z.string(), commit: z.string() }),
  recipes: z.record(z.string(), Recipe),
  /** Each recipe's model class, with the first recipe that names it. */
  modelClasses: z.record(z.string(), z.object({ source: Source })),
  modelConfigs: z.record(z.string(), ModelConfig),
  classes: z.record(z.string(), ClassSignature),
  /** Fields of `MegatronMixedPrecision` set by each helper of recipes/precision/mixed_precision.py. */
  precisionHelpers: z.record(z.string(), z.record(z.string(), z.unknown())),
});

export type NemoSource = z.infer<typeof Source>;
export type RecipeEntry = z.infer<typeof Recipe>;
export type ModelConfigEntry = z.infer<typeof ModelConfig>;
export type ConfigTree = z.infer<typeof Tree>;
export type ClassSignatureEntry = z.infer<typeof ClassSignature>;
export type NemoCatalog = z.infer<typeof NemoCatalogSchema>;

const Snapshot = z.enum(['HEAD', 'v0.5.1', 'v0.3.0', 'v0.1.0rc4']);

const BridgeRecipe = z.object({
  snapshot: Snapshot,
  module: z.string(),
  function: z.string(),
  /** parameterless (eras C and D), kwargs (era B: **user_kwargs), per-size-module (era A: keyword parameters). */
  style: z.enum(['parameterless', 'kwargs', 'per-size-module']),
  mode: z.string().nullable(),
  hfModel: z.string().nullable(),
  provider: z.string().nullable(),
  gpusInName: z.number().nullable(),
  tp: z.number().nullable(),
  pp: z.number().nullable(),
  cp: z.number().nullable(),
  ep: z.number().nullable(),
  etp: z.number().nullable(),
  vp: z.number().nullable(),
  sp: z.boolean().nullable(),
  gbs: z.number().nullable(),
  mbs: z.number().nullable(),
  seqLength: z.number().nullable(),
  modelSeqLength: z.number().nullable(),
  peft: z.string().nullable(),
  aliasOf: z.string().optional(),
});

export const BridgeCatalogSchema = z.object({
  source: z.object({
    repo: z.string(),
    snapshots: z.record(Snapshot, z.object({ commit: z.string().nullable(), date: z.string().nullable(), versions: z.string(), era: z.enum(['A', 'B', 'C', 'D']) })),
  }),
  recipes: z.array(BridgeRecipe),
  hfModels: z.record(z.string(), z.string()),
  providers: z.record(z.string(), z.string()),
});

export type BridgeRecipe = z.infer<typeof BridgeRecipe>;
export type BridgeSnapshot = z.infer<typeof Snapshot>;
export type BridgeCatalog = z.infer<typeof BridgeCatalogSchema>;

const Sourced = <T extends z.ZodType>(value: T) => z.object({ value, source: z.string().min(1) });

const Gpu = z.object({
  id: z.string().regex(/^[a-z0-9-]+$/),
  name: z.string(),
  aliases: z.array(z.string().regex(/^[a-z0-9-]+$/)),
  architecture: z.enum(['ampere', 'ada', 'hopper', 'blackwell']),
  usableMiB: Sourced(z.number().int().positive()),
  fp8: Sourced(z.boolean()),
  nvlinkDomain: Sourced(z.number().int().positive()),
  bf16DenseTflops: Sourced(z.number().positive()),
  nvlinkGBps: Sourced(z.number().positive()),
  networkGBps: Sourced(z.number().positive()),
});

/** gpus.json: each figure with where it was read (`$comment` aside, which validation strips). */
export const GpuCatalogSchema = z.object({ gpus: z.array(Gpu).min(1) });

export type GpuCatalog = z.infer<typeof GpuCatalogSchema>;
