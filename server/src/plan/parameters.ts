// Parameter counts from the architecture, following Megatron-Core's GPT layer shapes (Transformer
// Engine spec): fused QKV with grouped-query attention or multi-latent attention, gated or plain
// MLP, mixture-of-experts layers with a router and optional shared experts, norms, embeddings, and
// multi-token-prediction layers. Models the formula does not cover (Mamba hybrids, heterogeneous
// Llama-Nemotron blocks) use the catalog's count while their architecture is unchanged.
import { nemoCatalog } from '../catalog/nemoRecipes';
import { derivedField, knownField, unknownField } from './fields';
import type { Field, ModelArchitecture } from './plan';

const FORMULA_METHODS = new Set(['mcore-gpt', 'mcore-gpt-moe', 'mcore-gpt-mla-moe']);

export interface ParameterBreakdown {
  embedding: number;
  outputLayer: number;
  positionEmbedding: number;
  /** Per decoder layer, in order. */
  layers: number[];
  finalNorm: number;
  mtp: number;
  total: number;
}

/** Which decoder layers are mixture-of-experts layers. */
export function moeLayers(numLayers: number, numExperts: number | null, freq: number | number[] | null): boolean[] {
  if (!numExperts) return new Array<boolean>(numLayers).fill(false);
  if (Array.isArray(freq)) return Array.from({ length: numLayers }, (_, i) => freq[i] === 1);
  const every = freq ?? 1;
  return Array.from({ length: numLayers }, (_, i) => i % every === 0);
}

export function parameterBreakdown(a: ModelArchitecture): ParameterBreakdown | string {
  const need: [string, Field<unknown>][] = [
    ['num_layers', a.numLayers],
    ['hidden_size', a.hiddenSize],
    ['num_attention_heads', a.numAttentionHeads],
    ['ffn_hidden_size', a.ffnHiddenSize],
    ['vocab_size', a.vocabSize],
  ];
  for (const [name, f] of need) if (f.unknown !== undefined || f.value === null) return f.unknown ?? `${name} is not set`;
  const h = a.hiddenSize.value!;
  const L = a.numLayers.value!;
  const heads = a.numAttentionHeads.value!;
  const V = a.vocabSize.value!;
  const ffn = a.ffnHiddenSize.value!;
  const kv = a.kvChannels.value ?? Math.floor(h / heads);
  const groups = a.numQueryGroups.value ?? heads;
  const gated = a.gatedLinearUnit.value ?? false;
  const bias = a.addBiasLinear.value ?? false;
  const norm = (n: number) => (a.normalization.value === 'LayerNorm' ? 2 * n : n);

  let attention: number;
  if (a.multiLatentAttention.value) {
    const qk = a.qkHeadDim.value ?? kv;
    const pos = a.qkPosEmbHeadDim.value ?? 0;
    const v = a.vHeadDim.value ?? kv;
    const qLora = a.qLoraRank.value;
    const kvLora = a.kvLoraRank.value ?? 0;
    const q = qLora ? h * qLora + norm(qLora) + qLora * heads * (qk + pos) : h * heads * (qk + pos);
    attention = norm(h) + q + h * (kvLora + pos) + norm(kvLora) + kvLora * heads * (qk + v) + heads * v * h;
  } else {
    const qkvOut = heads * kv + 2 * groups * kv;
    // qk_layernorm normalises each query and key head with one shared norm of kv_channels.
    const qkNorm = a.qkLayernorm.value ? 2 * norm(kv) : 0;
    attention = norm(h) + h * qkvOut + (bias || a.addQkvBias.value ? qkvOut : 0) + qkNorm + heads * kv * h + (bias ? h : 0);
  }
  const mlp = (inner: number) => h * inner * (gated ? 2 : 1) + inner * h + (bias ? inner * (gated ? 2 : 1) + h : 0);
  const experts = a.numMoeExperts.value ?? 0;
  const moeFfn = a.moeFfnHiddenSize.value ?? ffn;
  const shared = a.moeSharedExpertIntermediateSize.value ?? 0;
  const dense = attention + norm(h) + mlp(ffn);
  const moe = attention + norm(h) + experts * h + experts * mlp(moeFfn) + (shared ? mlp(shared) : 0);
  const layers = moeLayers(L, experts, a.moeLayerFreq.value).map((isMoe) => (isMoe ? moe : dense));
  const mtpLayers = a.mtpNumLayers.value ?? 0;
  const mtp = mtpLayers * (2 * norm(h) + 2 * h * h + (experts ? moe : dense) + norm(h));
  const embedding = V * h;
  const outputLayer = a.tiedEmbeddings.value ? 0 : V * h;
  const positionEmbedding = a.positionEmbeddingType.value === 'learned_absolute' ? (a.seqLength.value ?? 0) * h : 0;
  const finalNorm = norm(h);
  const total = embedding + outputLayer + positionEmbedding + layers.reduce((x, y) => x + y, 0) + finalNorm + mtp;
  return { embedding, outputLayer, positionEmbedding, layers, finalNorm, mtp, total };
}

export function parameterCount(a: ModelArchitecture, configClass: string | undefined): Field<number> {
  const entry = configClass ? nemoCatalog().modelConfigs[configClass] : undefined;
  const method = entry?.parameterCount.method ?? 'mcore-gpt';
  if (!FORMULA_METHODS.has(method)) {
    const total = entry?.parameterCount.total;
    const unchanged = entry && a.numLayers.value === entry.fields['num_layers'] && a.hiddenSize.value === entry.fields['hidden_size'];
    if (total && unchanged) return knownField(total, { source: 'class-default', range: null, detail: `the catalog's count for ${configClass} (${method})` });
    return unknownField(`parameter counting for ${method} models is not modelled`);
  }
  if (a.hybridOverridePattern.value) return unknownField('parameter counting for hybrid Mamba models is not modelled');
  const b = parameterBreakdown(a);
  if (typeof b === 'string') return unknownField(b);
  return derivedField([a.numLayers, a.hiddenSize, a.numAttentionHeads, a.ffnHiddenSize, a.vocabSize], 'counted from the architecture (Megatron-Core GPT layer shapes)', () => b.total);
}
