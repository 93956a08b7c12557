// The training plan: for each job a file defines, the resolved world, parallelism, batch, model,
// precision, optimizer, recompute and PEFT settings. Every field carries the provenance of its
// value or, when unknown, the reason. Rules, the memory model, hovers and the CLI read plans.
import type { Range } from '../parse/positions';
import type { Provenance } from '../evaluate/values';

/** A plan field: a known value with provenance, `null` with provenance (Python None), or unknown. */
export interface Field<T> {
  value: T | null;
  prov: Provenance | null;
  /** Set exactly when the value is unknown. */
  unknown?: string;
}

export interface World {
  nodes: Field<number>;
  gpusPerNode: Field<number>;
  size: Field<number>;
}

export interface Parallelism {
  tp: Field<number>;
  pp: Field<number>;
  vp: Field<number>;
  cp: Field<number>;
  ep: Field<number>;
  /** None means "same as TP" in Megatron-Core. */
  etp: Field<number>;
  dp: Field<number>;
  sequenceParallel: Field<boolean>;
  /** Micro-batches per virtual stage in the interleaved schedule (None means PP). */
  microbatchGroupSizePerVpStage: Field<number>;
  numLayersInFirstPipelineStage: Field<number>;
  numLayersInLastPipelineStage: Field<number>;
  accountForEmbeddingInPipelineSplit: Field<boolean>;
  accountForLossInPipelineSplit: Field<boolean>;
}

export interface Batch {
  global: Field<number>;
  micro: Field<number>;
  seqLength: Field<number>;
}

export interface ModelArchitecture {
  name: Field<string>;
  numLayers: Field<number>;
  hiddenSize: Field<number>;
  ffnHiddenSize: Field<number>;
  numAttentionHeads: Field<number>;
  numQueryGroups: Field<number>;
  kvChannels: Field<number>;
  vocabSize: Field<number>;
  makeVocabSizeDivisibleBy: Field<number>;
  seqLength: Field<number>;
  tiedEmbeddings: Field<boolean>;
  gatedLinearUnit: Field<boolean>;
  addBiasLinear: Field<boolean>;
  addQkvBias: Field<boolean>;
  qkLayernorm: Field<boolean>;
  normalization: Field<string>;
  positionEmbeddingType: Field<string>;
  numMoeExperts: Field<number>;
  moeRouterTopk: Field<number>;
  moeFfnHiddenSize: Field<number>;
  moeSharedExpertIntermediateSize: Field<number>;
  /** Which layers are MoE: 1 (all), N (every Nth), or a 0/1 list per layer. */
  moeLayerFreq: Field<number | number[]>;
  moeRouterPreSoftmax: Field<boolean>;
  moeRouterScoreFunction: Field<string>;
  moeRouterLoadBalancingType: Field<string>;
  moeRouterNumGroups: Field<number>;
  moeRouterGroupTopk: Field<number>;
  multiLatentAttention: Field<boolean>;
  qLoraRank: Field<number>;
  kvLoraRank: Field<number>;
  qkHeadDim: Field<number>;
  qkPosEmbHeadDim: Field<number>;
  vHeadDim: Field<number>;
  mtpNumLayers: Field<number>;
  /** Mamba/attention/MLP layer pattern of hybrid models, e.g. "M-M-M*-". */
  hybridOverridePattern: Field<string>;
  parameters: Field<number>;
}

export interface Fp8 {
  format: Field<string>;
  recipe: Field<string>;
  paramGather: Field<boolean>;
}

export interface Plan {
  range: Range;
  framework: 'nemo2' | 'megatron-bridge';
  /** How the job was defined, e.g. "llama3_70b.pretrain_recipe()" or "run.Partial(llm.finetune)". */
  origin: string;
  /**
   * The NeMo entry point that runs the job: `pretrain` and `finetune` validate the configuration
   * first (and quietly drop some settings), `train` does not; null for a bare trainer.
   */
  entryPoint: 'pretrain' | 'finetune' | 'train' | null;
  /** For Megatron-Bridge jobs: the recipe API era assumed and the catalog snapshot it comes from. */
  bridge?: {
    era: 'A' | 'B' | 'C' | 'D';
    snapshot: string;
    versions: string;
    /** The dataset's sequence-length field: `sequence_length` for GPT datasets before 0.3.1. */
    datasetSeqField: 'seq_length' | 'sequence_length';
    /** Why this era was assumed (a pinned version, the call's arguments, the newest). */
    assumed: string;
  };
  /** How it is launched, when the file launches it: "run.run()", "Experiment.add()", ... */
  launchedBy: string | null;
  world: World;
  executorWorld: World | null;
  executor: string | null;
  parallelism: Parallelism;
  batch: Batch;
  model: ModelArchitecture;
  precision: Field<string>;
  fp8: Fp8;
  /**
   * "flash" where attention never stores the s x s scores (Transformer Engine's flash and fused
   * backends, Megatron-Core's default), "unfused" where it does (the unfused and local backends).
   */
  attentionBackend: Field<string>;
  optimizer: { distributed: Field<boolean>; gradReduceInFp32: Field<boolean> };
  recompute: { granularity: Field<string>; method: Field<string>; numLayers: Field<number>; /** Selective recompute's modules (None means core_attn). */ modules: Field<string[]> };
  peft: { scheme: Field<string>; dim: Field<number>; alpha: Field<number>; targetModules: Field<string[]> } | null;
}

/** The plan's fields in groups, by name, for views that walk them all (hover, the plan view). */
export const FIELD_GROUPS: readonly [string, (p: Plan) => object | null][] = [
  ['world', (p) => p.world],
  ['executorWorld', (p) => p.executorWorld],
  ['parallelism', (p) => p.parallelism],
  ['batch', (p) => p.batch],
  ['model', (p) => p.model],
  ['precision', (p) => ({ precision: p.precision, attentionBackend: p.attentionBackend })],
  ['fp8', (p) => p.fp8],
  ['optimizer', (p) => p.optimizer],
  ['recompute', (p) => p.recompute],
  ['peft', (p) => p.peft],
];

/** A world a directive comment states (`# recipe-lens: world=16`, `nodes=2 gpus-per-node=8`), for launchers the file does not show. */
export interface StatedWorld {
  nodes?: { count: number; range: Range };
  gpusPerNode?: { count: number; range: Range };
  size?: { count: number; range: Range };
}
