// The architecture of a GPT-style model as plain numbers, and the parameters of each of its parts
// split by how Megatron-Core shards them: over TP (the projections), not at all (norms, router,
// the down projections of multi-latent attention), or over EP x ETP (routed experts). The shapes
// follow Megatron-Core's GPT layer spec with Transformer Engine: fused QKV with grouped-query
// attention or multi-latent attention, gated or plain MLP, mixture-of-experts layers with a router
// and optional shared experts, norms, embeddings and multi-token-prediction layers.

export interface MoeShape {
  experts: number;
  topk: number;
  /** moe_ffn_hidden_size. */
  ffn: number;
  /** moe_shared_expert_intermediate_size, 0 without shared experts. */
  sharedFfn: number;
  /** Which layers are MoE: 1 (all), N (every Nth, from layer 0), or a 0/1 list per layer. */
  layerFreq: number | number[];
}

export interface MlaShape {
  qLoraRank: number | null;
  kvLoraRank: number;
  qkHeadDim: number;
  qkPosEmbHeadDim: number;
  vHeadDim: number;
}

export interface ModelShape {
  layers: number;
  hidden: number;
  ffn: number;
  heads: number;
  queryGroups: number;
  kvChannels: number;
  vocab: number;
  makeVocabDivisibleBy: number;
  tiedEmbeddings: boolean;
  gated: boolean;
  bias: boolean;
  qkvBias: boolean;
  qkLayernorm: boolean;
  /** LayerNorm has a weight and a bias; RMSNorm only a weight. */
  layerNorm: boolean;
  /** Rotary embeddings keep rotated copies of Q and K for the backward pass. */
  rotary: boolean;
  /** Rows of a learned absolute position embedding (the sequence length), 0 without one. */
  learnedPositions: number;
  moe: MoeShape | null;
  mla: MlaShape | null;
  mtpLayers: number;
}

/** Parameters of one part, whole (before sharding). */
export interface PartParameters {
  /** Sharded over tensor parallelism. */
  tp: number;
  /** Held whole by every rank of the stage. */
  replicated: number;
  /** Routed experts, sharded over EP x ETP. */
  expert: number;
}

export function total(p: PartParameters): number {
  return p.tp + p.replicated + p.expert;
}

export function addParts(...parts: PartParameters[]): PartParameters {
  return parts.reduce((a, b) => ({ tp: a.tp + b.tp, replicated: a.replicated + b.replicated, expert: a.expert + b.expert }), { tp: 0, replicated: 0, expert: 0 });
}

// Shapes are never mutated, so what is derived from one is computed once (an estimate asks for
// every layer of every pipeline stage).
interface Derived {
  moe: boolean[];
  layers: PartParameters[];
  dense: PartParameters;
  moeLayer: PartParameters | null;
}

/**
 * The last shape derived, and what it gave. The estimates of one plan, and a search over its
 * layouts, ask for one shape many times in a row: remembering the last serves them, without the
 * WeakMap entry per shape (new with every analysis) that cost more than it saved.
 */
let last: { shape: ModelShape; derived: Derived } | undefined;

function derive(s: ModelShape): Derived {
  if (last?.shape === s) return last.derived;
  const moe = moeFlags(s);
  const dense = denseLayerParams(s);
  const moeLayer = s.moe && s.moe.experts ? moeLayerParams(s, s.moe) : null;
  const d: Derived = { moe, layers: moe.map((isMoe) => (isMoe && moeLayer ? moeLayer : dense)), dense, moeLayer };
  last = { shape: s, derived: d };
  return d;
}

/** The two kinds of decoder layer: every dense layer has one shape, every MoE layer another. */
export function layerKinds(s: ModelShape): { dense: PartParameters; moe: PartParameters | null } {
  const d = derive(s);
  return { dense: d.dense, moe: d.moeLayer };
}

function moeFlags(s: ModelShape): boolean[] {
  const moe = s.moe;
  if (!moe || !moe.experts) return new Array<boolean>(s.layers).fill(false);
  const freq = moe.layerFreq;
  // A plain loop: Array.from with a mapping function showed in profiles.
  const flags = new Array<boolean>(s.layers);
  for (let i = 0; i < s.layers; i++) flags[i] = Array.isArray(freq) ? freq[i] === 1 : i % freq === 0;
  return flags;
}

/** Which decoder layers are mixture-of-experts layers. */
export function moeLayers(s: ModelShape): readonly boolean[] {
  return derive(s).moe;
}

function normParams(s: ModelShape, n: number): number {
  return s.layerNorm ? 2 * n : n;
}

function mlpParams(s: ModelShape, inner: number): PartParameters {
  const up = s.gated ? 2 * inner : inner;
  return { tp: s.hidden * up + inner * s.hidden + (s.bias ? up : 0), replicated: s.bias ? s.hidden : 0, expert: 0 };
}

function attentionParams(s: ModelShape): PartParameters {
  const h = s.hidden;
  if (s.mla) {
    const { qLoraRank, kvLoraRank, qkHeadDim, qkPosEmbHeadDim, vHeadDim } = s.mla;
    const qHead = qkHeadDim + qkPosEmbHeadDim;
    // The down projections are duplicated on every TP rank; the up and output projections are sharded.
    const qDown = qLoraRank ? h * qLoraRank + normParams(s, qLoraRank) : 0;
    const qUp = qLoraRank ? qLoraRank * s.heads * qHead : h * s.heads * qHead;
    const replicated = normParams(s, h) + qDown + h * (kvLoraRank + qkPosEmbHeadDim) + normParams(s, kvLoraRank);
    return { tp: qUp + kvLoraRank * s.heads * (qkHeadDim + vHeadDim) + s.heads * vHeadDim * h, replicated, expert: 0 };
  }
  const qkvOut = s.heads * s.kvChannels + 2 * s.queryGroups * s.kvChannels;
  // qk_layernorm normalises each query and key head with one shared norm of kv_channels.
  const qkNorm = s.qkLayernorm ? 2 * normParams(s, s.kvChannels) : 0;
  return {
    tp: h * qkvOut + (s.bias || s.qkvBias ? qkvOut : 0) + s.heads * s.kvChannels * h,
    replicated: normParams(s, h) + qkNorm + (s.bias ? h : 0),
    expert: 0,
  };
}

function denseLayerParams(s: ModelShape): PartParameters {
  return addParts(attentionParams(s), { tp: 0, replicated: normParams(s, s.hidden), expert: 0 }, mlpParams(s, s.ffn));
}

function moeLayerParams(s: ModelShape, moe: MoeShape): PartParameters {
  const expert = mlpParams(s, moe.ffn);
  return addParts(
    attentionParams(s),
    { tp: 0, replicated: normParams(s, s.hidden) + moe.experts * s.hidden, expert: moe.experts * total(expert) },
    moe.sharedFfn ? mlpParams(s, moe.sharedFfn) : { tp: 0, replicated: 0, expert: 0 },
  );
}

/** The parameters of each decoder layer, in order. */
export function layerParameters(s: ModelShape): readonly PartParameters[] {
  return derive(s).layers;
}

/** One multi-token-prediction layer: two norms, the 2h -> h projection, a decoder layer, a final norm. */
export function mtpLayerParameters(s: ModelShape): PartParameters {
  const inner = s.moe && s.moe.experts ? moeLayerParams(s, s.moe) : denseLayerParams(s);
  return addParts(inner, { tp: 2 * s.hidden * s.hidden, replicated: 3 * normParams(s, s.hidden), expert: 0 });
}

export function finalNormParameters(s: ModelShape): number {
  return normParams(s, s.hidden);
}

/** The vocabulary as Megatron pads it: to a multiple of make_vocab_size_divisible_by x TP. */
export function paddedVocab(s: ModelShape, tp: number): number {
  const multiple = s.makeVocabDivisibleBy * tp;
  return Math.ceil(s.vocab / multiple) * multiple;
}

/** Total parameters with the unpadded vocabulary (how model sizes are usually quoted). */
export function totalParameters(s: ModelShape): number {
  const layers = layerParameters(s).reduce((sum, p) => sum + total(p), 0);
  const embedding = s.vocab * s.hidden * (s.tiedEmbeddings ? 1 : 2);
  return embedding + s.learnedPositions * s.hidden + layers + finalNormParameters(s) + s.mtpLayers * total(mtpLayerParameters(s));
}
