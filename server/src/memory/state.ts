// Weights, gradients and optimizer state of one pipeline rank. Parameters are counted from the
// shapes (memory/shape.ts) and divided the way Megatron-Core shards them; bytes per parameter
// follow the precision and optimizer settings: bf16/fp16/fp32 weights (FP8 adds a cast copy and,
// before Blackwell, its transpose, or replaces the weight with fp8_param_gather), gradients in the
// DDP buffer (fp32 with grad_reduce_in_fp32), Adam's fp32 master weights and two moments (fp16
// adds fp32 master gradients), sharded over DP x CP by the distributed optimizer (experts over
// the expert data-parallel group). Frozen weights under LoRA have neither gradients nor state.
import { finalNormParameters, layerKinds, mtpLayerParameters, paddedVocab, type ModelShape, type PartParameters } from './shape';
import type { TrainingSetup } from './setup';
import type { Stage } from './stages';

export interface StateBytes {
  weights: number;
  gradients: number;
  optimizer: number;
  /** Parameters this rank holds (base model and adapters). */
  parameters: number;
}

/** Parameters of one rank: [TP-sharded and replicated ("dense"), expert] after sharding. */
interface RankParameters {
  /** Weights of GEMMs (what FP8 casts). */
  gemm: number;
  /** Embeddings, norms, router: never cast to FP8. */
  other: number;
  expert: number;
}

function shard(p: PartParameters, s: TrainingSetup): RankParameters {
  const l = s.layout;
  return { gemm: p.tp / l.tp, other: p.replicated, expert: p.expert / (l.ep * l.etp) };
}

function rankParameters(s: TrainingSetup, stage: Stage): RankParameters {
  const m = s.model;
  const sum: RankParameters = { gemm: 0, other: 0, expert: 0 };
  const add = (r: RankParameters, times = 1) => {
    sum.gemm += r.gemm * times;
    sum.other += r.other * times;
    sum.expert += r.expert * times;
  };
  // Layers come in two kinds, dense and MoE, each with one shape.
  const kinds = layerKinds(m);
  add(shard(kinds.dense, s), stage.layerCount - stage.moeLayerCount);
  if (kinds.moe) add(shard(kinds.moe, s), stage.moeLayerCount);
  const vocabShard = (paddedVocab(m, s.layout.tp) * m.hidden) / s.layout.tp;
  if (stage.holdsEmbedding) add({ gemm: 0, other: vocabShard + m.learnedPositions * m.hidden, expert: 0 });
  if (stage.holdsOutput) {
    // A tied output layer shares the embedding on one stage; on a separate last stage it is a copy.
    const outputLayer = !m.tiedEmbeddings || !stage.holdsEmbedding ? vocabShard : 0;
    add({ gemm: outputLayer, other: finalNormParameters(m), expert: 0 });
    if (m.mtpLayers > 0) {
      const mtp = shard(mtpLayerParameters(m), s);
      add({ gemm: mtp.gemm * m.mtpLayers, other: mtp.other * m.mtpLayers, expert: mtp.expert * m.mtpLayers });
    }
  }
  return sum;
}

/** LoRA adapters of one rank: A and B of linear_qkv, linear_proj, linear_fc1 and linear_fc2 per layer. */
export function loraParameters(m: ModelShape, tp: number, rank: number, layers: number): number {
  const q = m.heads * m.kvChannels;
  const qkvOut = q + 2 * m.queryGroups * m.kvChannels;
  const ffn = m.moe && m.moe.experts ? 0 : m.ffn;
  const up = m.gated ? 2 * ffn : ffn;
  // Column-parallel targets shard B and keep A whole; row-parallel targets shard A and keep B whole.
  const perLayer = rank * (m.hidden + qkvOut / tp) + rank * (q / tp + m.hidden) + (ffn ? rank * (m.hidden + up / tp) + rank * (ffn / tp + m.hidden) : 0);
  return perLayer * layers;
}

export function stateBytes(s: TrainingSetup, stage: Stage): StateBytes {
  const p = rankParameters(s, stage);
  const l = s.layout;
  const denseShards = l.dp * l.cp;
  const expertShards = (l.dp * l.cp * l.tp) / (l.ep * l.etp);
  const weightBytes = s.dtype === 'fp32' ? 4 : 2;
  const gradBytes = s.dtype === 'fp32' || s.optimizer.gradReduceInFp32 ? 4 : 2;
  // Adam: fp32 master weights and two moments; fp16 also keeps fp32 master gradients; fp32 weights are their own master.
  const optimizerBytes = s.dtype === 'fp32' ? 8 : s.dtype === 'fp16' ? 16 : 12;
  const optimizerShare = (shards: number) => (s.optimizer.distributed ? optimizerBytes / shards : optimizerBytes);

  let gemmWeightBytes = weightBytes;
  if (s.fp8) {
    const transpose = s.gpu.architecture === 'blackwell' ? 0 : 1;
    gemmWeightBytes = (s.fp8.paramGather ? 1 : weightBytes + 1) + transpose;
  }
  const weights = (p.gemm + p.expert) * gemmWeightBytes + p.other * weightBytes;
  if (s.lora) {
    const adapters = loraParameters(s.model, l.tp, s.lora.rank, stage.layerCount);
    return {
      weights: weights + adapters * weightBytes,
      gradients: adapters * gradBytes,
      optimizer: adapters * optimizerShare(denseShards),
      parameters: p.gemm + p.other + p.expert + adapters,
    };
  }
  return {
    weights,
    gradients: (p.gemm + p.other + p.expert) * gradBytes,
    optimizer: (p.gemm + p.other) * optimizerShare(denseShards) + p.expert * optimizerShare(expertShards),
    parameters: p.gemm + p.other + p.expert,
  };
}
