// The numbers rules reason about, read from a plan. `undefined` means unknown (a rule that needs
// it stays silent); `null` is Python's None. Rules and the fix search work on layouts, so a
// candidate fix is just a layout with one number changed.
import type { Field, Plan } from '../plan/plan';

export interface Layout {
  /**
   * `pretrain` and `finetune` run NeMo's _validate_config first; `train` and eager trainers do
   * not; `bridge` is a Megatron-Bridge job (ConfigContainer.validate, then Megatron-Core).
   */
  entry: 'pretrain' | 'finetune' | 'train' | 'trainer' | 'bridge';
  /** The Megatron-Bridge recipe era (docs/evaluator.md), when the job comes from a catalogued recipe. */
  bridgeEra?: 'A' | 'B' | 'C' | 'D';
  nodes?: number | null;
  gpusPerNode?: number | null;
  /** GPUs in all: what counts when only the total is stated (`# recipe-lens: world=16`). */
  world?: number | null;
  tp?: number | null;
  pp?: number | null;
  vp?: number | null;
  cp?: number | null;
  ep?: number | null;
  /** None means "same as TP". */
  etp?: number | null;
  sp?: boolean | null;
  vpGroup?: number | null;
  firstStage?: number | null;
  lastStage?: number | null;
  accountEmbedding?: boolean | null;
  accountLoss?: boolean | null;
  gbs?: number | null;
  mbs?: number | null;
  seq?: number | null;
  layers?: number | null;
  heads?: number | null;
  groups?: number | null;
  ffn?: number | null;
  experts?: number | null;
  topk?: number | null;
  moeFfn?: number | null;
  sharedFfn?: number | null;
  addBias?: boolean | null;
  preSoftmax?: boolean | null;
  scoreFunction?: string | null;
  routerGroups?: number | null;
  routerGroupTopk?: number | null;
  lbType?: string | null;
  modelSeq?: number | null;
  positionEmbedding?: string | null;
  /** Settings only the memory rules and their fixes change. */
  recomputeGranularity?: string | null;
  recomputeMethod?: string | null;
  recomputeNumLayers?: number | null;
  distributedOptimizer?: boolean | null;
  /** Some layers use the dense MLP (not every layer is a mixture of experts). */
  hasDenseLayers?: boolean;
  /** A hybrid (Mamba) model, whose layer count rules are not modelled. */
  hybrid?: boolean;
  executor?: { name: string; nodes?: number | null; perNode?: number | null };
}

export type LayoutKey = Exclude<keyof Layout, 'entry' | 'bridgeEra' | 'executor' | 'hasDenseLayers' | 'hybrid' | 'positionEmbedding'>;

function v<T>(f: Field<T>): T | null | undefined {
  return f.unknown !== undefined ? undefined : f.value;
}

export function layoutOf(plan: Plan): Layout {
  const p = plan.parallelism;
  const m = plan.model;
  // One literal, the optional fields added after it: a spread in the middle of a literal this
  // size builds it property by property, and showed in profiles.
  const layout: Layout = {
    entry: plan.framework === 'megatron-bridge' ? 'bridge' : (plan.entryPoint ?? 'trainer'),
    nodes: v(plan.world.nodes),
    gpusPerNode: v(plan.world.gpusPerNode),
    world: v(plan.world.size),
    tp: v(p.tp),
    pp: v(p.pp),
    vp: v(p.vp),
    cp: v(p.cp),
    ep: v(p.ep),
    etp: v(p.etp),
    sp: v(p.sequenceParallel),
    vpGroup: v(p.microbatchGroupSizePerVpStage),
    firstStage: v(p.numLayersInFirstPipelineStage),
    lastStage: v(p.numLayersInLastPipelineStage),
    accountEmbedding: v(p.accountForEmbeddingInPipelineSplit),
    accountLoss: v(p.accountForLossInPipelineSplit),
    gbs: v(plan.batch.global),
    mbs: v(plan.batch.micro),
    seq: v(plan.batch.seqLength),
    layers: v(m.numLayers),
    heads: v(m.numAttentionHeads),
    groups: v(m.numQueryGroups),
    ffn: v(m.ffnHiddenSize),
    experts: v(m.numMoeExperts),
    topk: v(m.moeRouterTopk),
    moeFfn: v(m.moeFfnHiddenSize),
    sharedFfn: v(m.moeSharedExpertIntermediateSize),
    addBias: v(m.addBiasLinear),
    preSoftmax: v(m.moeRouterPreSoftmax),
    scoreFunction: v(m.moeRouterScoreFunction),
    routerGroups: v(m.moeRouterNumGroups),
    routerGroupTopk: v(m.moeRouterGroupTopk),
    lbType: v(m.moeRouterLoadBalancingType),
    modelSeq: v(m.seqLength),
    positionEmbedding: v(m.positionEmbeddingType),
    recomputeGranularity: v(plan.recompute.granularity),
    recomputeMethod: v(plan.recompute.method),
    recomputeNumLayers: v(plan.recompute.numLayers),
    distributedOptimizer: v(plan.optimizer.distributed),
    hasDenseLayers: hasDenseLayers(v(m.numMoeExperts), v(m.moeLayerFreq)),
    hybrid: m.hybridOverridePattern.unknown !== undefined || m.hybridOverridePattern.value !== null,
  };
  if (plan.bridge) layout.bridgeEra = plan.bridge.era;
  if (plan.executorWorld) layout.executor = { name: plan.executor ?? 'executor', nodes: v(plan.executorWorld.nodes), perNode: v(plan.executorWorld.gpusPerNode) };
  return layout;
}

function hasDenseLayers(experts: number | null | undefined, freq: number | number[] | null | undefined): boolean | undefined {
  if (experts === undefined) return undefined;
  if (experts === null) return true;
  if (freq === undefined) return undefined;
  if (Array.isArray(freq)) return freq.includes(0);
  return freq !== 1;
}

/** A positive integer, known. */
export function pos(x: number | null | undefined): x is number {
  return typeof x === 'number' && Number.isInteger(x) && x > 0;
}

/**
 * The product of positive integers when it is exact (at most 2**53), else undefined: like the
 * evaluator, the rules do not reason with numbers they cannot represent exactly.
 */
export function exactProduct(a: number, b: number, c = 1): number | undefined {
  // Two or three factors, not a rest parameter: every rule asks for the world and DP, for each of
  // the thousands of layouts a search checks, and the array of factors showed in profiles.
  const p = a * b * c;
  return Number.isSafeInteger(p) ? p : undefined;
}

/**
 * The world size: nodes x GPUs per node when both are known (a fix may have changed either),
 * else the stated total.
 */
export function worldOf(l: Layout): number | undefined {
  if (pos(l.nodes) && pos(l.gpusPerNode)) return exactProduct(l.nodes, l.gpusPerNode);
  return pos(l.world) ? l.world : undefined;
}

/** ETP as Megatron-Core resolves it: None means TP. */
export function etpOf(l: Layout): number | undefined {
  if (l.etp === undefined) return undefined;
  return l.etp === null ? (pos(l.tp) ? l.tp : undefined) : l.etp;
}

/** Data-parallel size (CP excluded), when it is a whole number. */
export function dpOf(l: Layout): number | undefined {
  const w = worldOf(l);
  if (w === undefined || !pos(l.tp) || !pos(l.pp) || !pos(l.cp)) return undefined;
  const mp = exactProduct(l.tp, l.pp, l.cp);
  return mp !== undefined && w % mp === 0 ? w / mp : undefined;
}

/** Does a NeMo entry point run `_validate_config` (llm.pretrain / llm.finetune)? */
export function nemoValidated(l: Layout): boolean {
  return l.entry === 'pretrain' || l.entry === 'finetune';
}

/** Does the entry point check the model's own seq_length (NeMo's _validate_config, Bridge's validate)? */
export function modelSeqValidated(l: Layout): boolean {
  return nemoValidated(l) || l.entry === 'bridge';
}
