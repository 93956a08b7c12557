// The input of `recipe-lens estimate`: one plan in the shape of the `plans` entries of
// `recipe-lens check --format json` (docs/cli.md), plus the GPU. Fields left out take
// Megatron-Core's defaults; the few that Megatron-Core does not define have documented defaults.
import * as z from 'zod';
import { dtypeOfPrecision } from './fromPlan';
import { findGpu, gpuIds } from './gpus';
import type { Recompute, TrainingSetup } from './setup';
import type { ModelShape } from './shape';

const int = z.number().int().positive();
const opt = <T extends z.ZodType>(t: T) => t.nullish();

const Model = z.looseObject({
  numLayers: int,
  hiddenSize: int,
  numAttentionHeads: int,
  vocabSize: int,
  ffnHiddenSize: opt(int),
  numQueryGroups: opt(int),
  kvChannels: opt(int),
  makeVocabSizeDivisibleBy: opt(int),
  seqLength: opt(int),
  tiedEmbeddings: opt(z.boolean()),
  gatedLinearUnit: opt(z.boolean()),
  addBiasLinear: opt(z.boolean()),
  addQkvBias: opt(z.boolean()),
  qkLayernorm: opt(z.boolean()),
  normalization: opt(z.enum(['LayerNorm', 'RMSNorm'])),
  positionEmbeddingType: opt(z.string()),
  numMoeExperts: opt(int),
  moeRouterTopk: opt(int),
  moeFfnHiddenSize: opt(int),
  moeSharedExpertIntermediateSize: opt(int),
  moeLayerFreq: opt(z.union([int, z.array(z.number().int().min(0).max(1))])),
  multiLatentAttention: opt(z.boolean()),
  qLoraRank: opt(int),
  kvLoraRank: opt(int),
  qkHeadDim: opt(int),
  qkPosEmbHeadDim: opt(z.number().int().min(0)),
  vHeadDim: opt(int),
  mtpNumLayers: opt(z.number().int().min(0)),
});

export const EstimateInput = z.looseObject({
  model: Model,
  world: opt(z.looseObject({ size: opt(int) })),
  parallelism: opt(
    z.looseObject({
      tp: opt(int),
      pp: opt(int),
      vp: opt(int),
      cp: opt(int),
      ep: opt(int),
      etp: opt(int),
      dp: opt(int),
      sequenceParallel: opt(z.boolean()),
      microbatchGroupSizePerVpStage: opt(int),
      numLayersInFirstPipelineStage: opt(int),
      numLayersInLastPipelineStage: opt(int),
      accountForEmbeddingInPipelineSplit: opt(z.boolean()),
      accountForLossInPipelineSplit: opt(z.boolean()),
    }),
  ),
  batch: z.looseObject({ global: opt(int), micro: opt(int), seqLength: opt(int) }),
  precision: opt(z.union([z.string(), z.number()])),
  fp8: opt(z.looseObject({ format: opt(z.string()), paramGather: opt(z.boolean()) })),
  optimizer: opt(z.looseObject({ distributed: opt(z.boolean()), gradReduceInFp32: opt(z.boolean()) })),
  recompute: opt(z.looseObject({ granularity: opt(z.enum(['full', 'selective'])), method: opt(z.enum(['uniform', 'block'])), numLayers: opt(int), modules: opt(z.array(z.string())) })),
  peft: opt(z.looseObject({ scheme: opt(z.string()), dim: opt(int) })),
  gpu: opt(z.string()),
  attentionBackend: opt(z.enum(['flash', 'unfused'])),
  transformerImpl: opt(z.enum(['local', 'transformer_engine'])),
});

export type EstimateInput = z.infer<typeof EstimateInput>;

/** The training setup an estimate input describes, or the problems that make it unusable. */
export function setupFromInput(raw: unknown): { setup: TrainingSetup } | { errors: string[] } {
  const parsed = EstimateInput.safeParse(raw);
  if (!parsed.success) return { errors: parsed.error.issues.map((i) => `${i.path.join('.') || '(top level)'}: ${i.message}`) };
  const x = parsed.data;
  const errors: string[] = [];
  const gpu = findGpu(x.gpu ?? 'h100-80gb');
  if (!gpu) errors.push(`gpu: unknown GPU "${x.gpu}"; the catalog has ${gpuIds().join(', ')}`);
  const m = x.model;
  const experts = m.numMoeExperts ?? 0;
  const positions = m.positionEmbeddingType ?? 'learned_absolute';
  const seq = x.batch.seqLength ?? m.seqLength;
  if (!seq) errors.push('batch.seqLength: the sequence length is needed');
  if (m.moeLayerFreq && Array.isArray(m.moeLayerFreq) && m.moeLayerFreq.length !== m.numLayers) errors.push(`model.moeLayerFreq: ${m.moeLayerFreq.length} entries for ${m.numLayers} layers`);
  // Megatron-Core's TransformerConfig and GPTModel defaults for what is left out.
  const model: ModelShape = {
    layers: m.numLayers,
    hidden: m.hiddenSize,
    ffn: m.ffnHiddenSize ?? 4 * m.hiddenSize,
    heads: m.numAttentionHeads,
    queryGroups: m.numQueryGroups ?? m.numAttentionHeads,
    kvChannels: m.kvChannels ?? Math.floor(m.hiddenSize / m.numAttentionHeads),
    vocab: m.vocabSize,
    makeVocabDivisibleBy: m.makeVocabSizeDivisibleBy ?? 128,
    tiedEmbeddings: m.tiedEmbeddings ?? true,
    gated: m.gatedLinearUnit ?? false,
    bias: m.addBiasLinear ?? true,
    qkvBias: m.addQkvBias ?? false,
    qkLayernorm: m.qkLayernorm ?? false,
    layerNorm: (m.normalization ?? 'LayerNorm') === 'LayerNorm',
    rotary: positions === 'rope' || positions === 'yarn' || positions === 'mrope',
    learnedPositions: positions === 'learned_absolute' ? (m.seqLength ?? seq ?? 0) : 0,
    moe: experts ? { experts, topk: m.moeRouterTopk ?? 2, ffn: m.moeFfnHiddenSize ?? m.ffnHiddenSize ?? 4 * m.hiddenSize, sharedFfn: m.moeSharedExpertIntermediateSize ?? 0, layerFreq: m.moeLayerFreq ?? 1 } : null,
    mla: m.multiLatentAttention
      ? { qLoraRank: m.qLoraRank ?? null, kvLoraRank: m.kvLoraRank ?? 512, qkHeadDim: m.qkHeadDim ?? 128, qkPosEmbHeadDim: m.qkPosEmbHeadDim ?? 64, vHeadDim: m.vHeadDim ?? 128 }
      : null,
    mtpLayers: m.mtpNumLayers ?? 0,
  };
  const p = x.parallelism ?? {};
  const tp = p.tp ?? 1;
  const pp = p.pp ?? 1;
  const cp = p.cp ?? 1;
  const world = x.world?.size;
  let dp = p.dp ?? (world ? world / (tp * pp * cp) : 1);
  if (!Number.isInteger(dp)) {
    errors.push(`world.size: ${world} GPUs are not divisible by TP x PP x CP = ${tp * pp * cp}`);
    dp = 1;
  }
  if (p.dp && world && world !== tp * pp * cp * p.dp) errors.push(`world.size: ${world} is not TP x PP x CP x DP = ${tp * pp * cp * p.dp}`);
  const micro = x.batch.micro ?? 1;
  const global = x.batch.global;
  const dtype = dtypeOfPrecision(x.precision ?? 'bf16-mixed');
  if (!dtype) errors.push(`precision: "${x.precision}" is not modelled (bf16-mixed, 16-mixed, 32)`);
  const r = x.recompute;
  const recompute: Recompute =
    r?.granularity === 'full'
      ? { granularity: 'full', method: r.method ?? 'uniform', layers: r.numLayers ?? 1 }
      : r?.granularity === 'selective'
        ? { granularity: 'selective', modules: r.modules ?? ['core_attn'] }
        : { granularity: 'none' };
  const scheme = x.peft?.scheme ?? null;
  if (scheme !== null && scheme !== 'lora' && scheme !== 'dora') errors.push(`peft.scheme: the memory of ${scheme} adapters is not modelled`);
  if (errors.length || !gpu || !dtype || !seq) return { errors };
  return {
    setup: {
      model,
      layout: {
        tp,
        pp,
        vp: p.vp ?? null,
        cp,
        ep: p.ep ?? 1,
        etp: p.etp ?? tp,
        dp,
        sequenceParallel: p.sequenceParallel ?? false,
        vpGroup: p.microbatchGroupSizePerVpStage ?? null,
        firstStageLayers: p.numLayersInFirstPipelineStage ?? null,
        lastStageLayers: p.numLayersInLastPipelineStage ?? null,
        accountEmbedding: p.accountForEmbeddingInPipelineSplit ?? false,
        accountLoss: p.accountForLossInPipelineSplit ?? false,
      },
      batch: { micro, seq, microbatches: global ? Math.max(1, Math.floor(global / (micro * dp))) : null },
      dtype,
      fp8: x.fp8?.format ? { paramGather: x.fp8.paramGather ?? false } : null,
      optimizer: { distributed: x.optimizer?.distributed ?? false, gradReduceInFp32: x.optimizer?.gradReduceInFp32 ?? false },
      recompute,
      lora: scheme ? { rank: x.peft?.dim ?? 32 } : null,
      attentionBackend: x.attentionBackend ?? 'flash',
      implementation: x.transformerImpl === 'transformer_engine' ? 'transformer-engine' : 'local',
      gpu,
    },
  };
}
