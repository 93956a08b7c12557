// The model's parameter count for its plan: counted from the architecture with the layer shapes of
// memory/shape.ts, or, for models that formula does not cover (Mamba hybrids, heterogeneous
// Llama-Nemotron blocks), the catalog's count while their architecture is unchanged.
import { nemoCatalog } from '../catalog/nemoRecipes';
import { derivedField, knownField, unknownField } from './fields';
import type { Field, ModelArchitecture } from './plan';
import { totalParameters, type ModelShape } from '../memory/shape';
import { own } from '../catalog/own';

const FORMULA_METHODS = new Set(['mcore-gpt', 'mcore-gpt-moe', 'mcore-gpt-mla-moe']);

/**
 * The most decoder layers counted: the memory model builds arrays of layers, so a typo such as
 * `num_layers = 10**9` must not reach it (real models have a few hundred).
 */
export const MAX_LAYERS = 10_000;

/** Why a shape's numbers cannot be counted (zero heads, negative sizes...), or undefined. */
function implausible(s: ModelShape): string | undefined {
  let why: string | undefined;
  const size = (name: string, n: number, least = 1) => {
    if (why === undefined && !(Number.isSafeInteger(n) && n >= least)) why = `${name} is ${n}, not a ${least ? 'positive' : 'non-negative'} integer`;
  };
  size('num_layers', s.layers);
  size('hidden_size', s.hidden);
  size('ffn_hidden_size', s.ffn);
  size('num_attention_heads', s.heads);
  size('num_query_groups', s.queryGroups);
  size('kv_channels', s.kvChannels);
  size('vocab_size', s.vocab);
  size('make_vocab_size_divisible_by', s.makeVocabDivisibleBy);
  size('seq_length', s.learnedPositions, 0);
  size('mtp_num_layers', s.mtpLayers, 0);
  if (s.moe) {
    size('num_moe_experts', s.moe.experts);
    size('moe_router_topk', s.moe.topk);
    size('moe_ffn_hidden_size', s.moe.ffn);
    size('moe_shared_expert_intermediate_size', s.moe.sharedFfn, 0);
    if (!Array.isArray(s.moe.layerFreq)) size('moe_layer_freq', s.moe.layerFreq);
  }
  if (s.mla) {
    size('q_lora_rank', s.mla.qLoraRank ?? 1);
    size('kv_lora_rank', s.mla.kvLoraRank, 0);
    size('qk_head_dim', s.mla.qkHeadDim);
    size('qk_pos_emb_head_dim', s.mla.qkPosEmbHeadDim, 0);
    size('v_head_dim', s.mla.vHeadDim);
  }
  if (why === undefined && s.layers > MAX_LAYERS) why = `num_layers is ${s.layers}, more than the ${MAX_LAYERS} Recipe Lens counts`;
  return why;
}

/** The architecture as plain numbers, or why it cannot be given (a value that is unknown). */
export function modelShape(a: ModelArchitecture): ModelShape | string {
  const need: [string, Field<unknown>][] = [
    ['num_layers', a.numLayers],
    ['hidden_size', a.hiddenSize],
    ['num_attention_heads', a.numAttentionHeads],
    ['ffn_hidden_size', a.ffnHiddenSize],
    ['vocab_size', a.vocabSize],
  ];
  for (const [name, f] of need) if (f.unknown !== undefined || f.value === null) return f.unknown ?? `${name} is not set`;
  const h = a.hiddenSize.value!;
  const heads = a.numAttentionHeads.value!;
  const kv = a.kvChannels.value ?? Math.floor(h / heads);
  const experts = a.numMoeExperts.value ?? 0;
  const positions = a.positionEmbeddingType.value;
  const shape: ModelShape = {
    layers: a.numLayers.value!,
    hidden: h,
    ffn: a.ffnHiddenSize.value!,
    heads,
    queryGroups: a.numQueryGroups.value ?? heads,
    kvChannels: kv,
    vocab: a.vocabSize.value!,
    makeVocabDivisibleBy: a.makeVocabSizeDivisibleBy.value ?? 128,
    tiedEmbeddings: a.tiedEmbeddings.value ?? false,
    gated: a.gatedLinearUnit.value ?? false,
    bias: a.addBiasLinear.value ?? false,
    qkvBias: a.addQkvBias.value ?? false,
    qkLayernorm: a.qkLayernorm.value ?? false,
    layerNorm: a.normalization.value === 'LayerNorm',
    rotary: positions === 'rope' || positions === 'yarn' || positions === 'mrope',
    learnedPositions: positions === 'learned_absolute' ? (a.seqLength.value ?? 0) : 0,
    moe: experts
      ? {
          experts,
          topk: a.moeRouterTopk.value ?? 2,
          ffn: a.moeFfnHiddenSize.value ?? a.ffnHiddenSize.value!,
          sharedFfn: a.moeSharedExpertIntermediateSize.value ?? 0,
          layerFreq: a.moeLayerFreq.value ?? 1,
        }
      : null,
    mla: a.multiLatentAttention.value
      ? {
          qLoraRank: a.qLoraRank.value,
          kvLoraRank: a.kvLoraRank.value ?? 0,
          qkHeadDim: a.qkHeadDim.value ?? kv,
          qkPosEmbHeadDim: a.qkPosEmbHeadDim.value ?? 0,
          vHeadDim: a.vHeadDim.value ?? kv,
        }
      : null,
    mtpLayers: a.mtpNumLayers.value ?? 0,
  };
  return implausible(shape) ?? interned(shape);
}

/**
 * A shape equal to the last one built is that one: what the memory model derives from a shape
 * (its layers, its pipelines) is remembered for the last shape asked about, and the jobs of a
 * sweep, planned one after the other, share a model. Compared field by field, as the memory
 * model's own caches are: a key string per plan cost more than deriving again.
 */
function interned(shape: ModelShape): ModelShape {
  if (lastShape && sameShape(lastShape, shape)) return lastShape;
  lastShape = shape;
  return shape;
}

let lastShape: ModelShape | undefined;

function sameShape(a: ModelShape, b: ModelShape): boolean {
  for (const k of SCALAR_SHAPE_KEYS) if (a[k] !== b[k]) return false;
  const [m, n] = [a.moe, b.moe];
  if (m !== n && !(m && n && m.experts === n.experts && m.topk === n.topk && m.ffn === n.ffn && m.sharedFfn === n.sharedFfn && String(m.layerFreq) === String(n.layerFreq))) return false;
  const [x, y] = [a.mla, b.mla];
  return x === y || (!!x && !!y && x.qLoraRank === y.qLoraRank && x.kvLoraRank === y.kvLoraRank && x.qkHeadDim === y.qkHeadDim && x.qkPosEmbHeadDim === y.qkPosEmbHeadDim && x.vHeadDim === y.vHeadDim);
}

const SCALAR_SHAPE_KEYS = ['layers', 'hidden', 'ffn', 'heads', 'queryGroups', 'kvChannels', 'vocab', 'makeVocabDivisibleBy', 'tiedEmbeddings', 'gated', 'bias', 'qkvBias', 'qkLayernorm', 'layerNorm', 'rotary', 'learnedPositions', 'mtpLayers'] as const satisfies readonly (keyof ModelShape)[];

export function parameterCount(a: ModelArchitecture, configClass: string | undefined): Field<number> {
  const entry = configClass ? own(nemoCatalog().modelConfigs, configClass) : undefined;
  const method = entry?.parameterCount.method ?? 'mcore-gpt';
  if (!FORMULA_METHODS.has(method)) {
    const total = entry?.parameterCount.total;
    const unchanged = entry && a.numLayers.value === entry.fields['num_layers'] && a.hiddenSize.value === entry.fields['hidden_size'];
    if (total && unchanged) return knownField(total, { source: 'class-default', range: null, detail: `the catalog's count for ${configClass} (${method})` });
    return unknownField(`parameter counting for ${method} models is not modelled`);
  }
  if (a.hybridOverridePattern.value) return unknownField('parameter counting for hybrid Mamba models is not modelled');
  const shape = modelShape(a);
  if (typeof shape === 'string') return unknownField(shape);
  return derivedField([a.numLayers, a.hiddenSize, a.numAttentionHeads, a.ffnHiddenSize, a.vocabSize], 'counted from the architecture (Megatron-Core GPT layer shapes)', () => totalParameters(shape));
}
