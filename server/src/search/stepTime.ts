// A simple analytic model of one training step's time, for ranking layouts (it ranks; it does not
// promise seconds). The parts, all per GPU:
// - compute: 6 x active parameters x tokens, plus causal attention (QK and AV over half the s x s
//   matrix, forward and backward: 6 x layers x s x heads x head size per token), at
//   STEP_EFFICIENCY of the GPU's dense BF16 peak (twice it for the GEMMs under FP8); full
//   recompute adds one more forward pass (a third of the work);
// - the pipeline bubble: (PP - 1) / (M x VP) of the compute;
// - tensor parallelism: per layer and micro-batch, four all-gathers and four reduce-scatters of the
//   layer's activations (or four all-reduces without sequence parallelism: the same volume), over
//   NVLink when TP fits the NVLink domain, else over the network;
// - context parallelism: the ring passes of K and V (forward, and twice in the backward pass);
// - pipeline sends of each micro-batch's activations between stages;
// - expert parallelism: dispatch and combine all-to-alls of every routed token copy;
// - data parallelism: reducing the gradients (and gathering the parameters with the distributed
//   optimizer) once per step; Megatron-Core overlaps it with the backward pass, so only what
//   exceeds the backward pass (two thirds of the compute) counts.
// Bandwidths and peaks come from the GPU catalog (server/catalog/gpus.json), with their sources.
import { moeLayers, layerParameters, paddedVocab, type ModelShape } from '../memory/shape';
import type { TrainingSetup } from '../memory/setup';

/**
 * The share of the dense BF16 peak a well-configured Megatron-Core step achieves on compute
 * (model FLOPs utilisation of large-model training is typically 40 to 50% on H100). It scales
 * every layout alike, so it does not change the ranking.
 */
export const STEP_EFFICIENCY = 0.45;

/**
 * The fixed cost of one collective or send, whatever its size: NCCL's small-message latency,
 * about 10 microseconds inside an NVLink domain and 20 across the network. It is what makes many
 * small messages (a high CP or PP on a short sequence) cost more than their bytes say.
 */
export const NVLINK_LATENCY_SECONDS = 10e-6;
export const NETWORK_LATENCY_SECONDS = 20e-6;

const derived = new WeakMap<ModelShape, { active: number; moeShare: number }>();

/** What the model needs of a shape, computed once per shape. */
function derive(m: ModelShape): { active: number; moeShare: number } {
  let d = derived.get(m);
  if (!d) {
    d = { active: activeParameters(m), moeShare: m.moe ? moeLayers(m).filter(Boolean).length / m.layers : 0 };
    derived.set(m, d);
  }
  return d;
}

/** Parameters a token goes through: routed experts count top-k of E. */
function activeParameters(m: ModelShape): number {
  const layers = layerParameters(m);
  const moe = moeLayers(m);
  let sum = 0;
  layers.forEach((p, i) => {
    sum += p.tp + p.replicated + (moe[i] && m.moe ? (p.expert * m.moe.topk) / m.moe.experts : p.expert);
  });
  return sum + m.vocab * m.hidden * (m.tiedEmbeddings ? 1 : 2);
}

export interface StepTime {
  seconds: number;
  parts: { compute: number; bubble: number; tensor: number; context: number; pipeline: number; expert: number; data: number };
}

export function stepTime(s: TrainingSetup, globalBatch: number): StepTime {
  const m = s.model;
  const l = s.layout;
  const gpu = s.gpu;
  const world = l.tp * l.pp * l.cp * l.dp;
  const seq = s.batch.seq;
  const microbatches = Math.max(1, globalBatch / (s.batch.micro * l.dp));
  const tokens = globalBatch * seq;
  const attentionFlopsPerToken = 6 * m.layers * seq * m.heads * m.kvChannels;
  const { active, moeShare } = derive(m);
  const gemmFlops = 6 * active * tokens;
  const recomputeFactor = s.recompute.granularity === 'full' ? 4 / 3 : 1;
  const peak = gpu.bf16DenseTflops * 1e12 * STEP_EFFICIENCY;
  const gemmPeak = s.fp8 && gpu.fp8 ? 2 * peak : peak;
  const compute = ((gemmFlops / gemmPeak + (attentionFlopsPerToken * tokens) / peak) * recomputeFactor) / world;
  const bubble = ((l.pp - 1) / (microbatches * (l.vp ?? 1))) * compute;

  const nvlink = gpu.nvlinkGBps * 1e9;
  const network = gpu.networkGBps * 1e9;
  const gpusPerNode = Math.min(gpu.nvlinkDomain, world);
  const bytes = s.dtype === 'fp32' ? 4 : 2;
  const tokensPerMicro = (s.batch.micro * seq) / l.cp;
  const stageLayers = m.layers / l.pp;
  // A group of size n whose members are `stride` GPUs apart stays in one NVLink domain when
  // n x stride fits it (Megatron-Core orders TP, then CP, then EP/DP, then PP).
  const local = (n: number, stride: number) => n * stride <= gpusPerNode;
  const bandwidth = (n: number, stride: number) => (local(n, stride) ? nvlink : network);
  const latency = (n: number, stride: number) => (local(n, stride) ? NVLINK_LATENCY_SECONDS : NETWORK_LATENCY_SECONDS);
  const ring = (n: number) => (n - 1) / n;

  const activation = tokensPerMicro * m.hidden * bytes;
  const layerMicrobatches = stageLayers * microbatches;
  const tensor = l.tp > 1 ? 8 * layerMicrobatches * ((ring(l.tp) * activation) / bandwidth(l.tp, 1) + latency(l.tp, 1)) : 0;
  const kv = tokensPerMicro * 2 * m.queryGroups * m.kvChannels * bytes;
  const context = l.cp > 1 ? 3 * layerMicrobatches * (l.cp - 1) * (kv / bandwidth(l.cp, l.tp) + latency(l.cp, l.tp)) : 0;
  const pipeline = l.pp > 1 ? 2 * microbatches * (l.vp ?? 1) * (activation / bandwidth(2, l.tp * l.cp * l.dp) + latency(2, l.tp * l.cp * l.dp)) : 0;
  const expert = m.moe && l.ep > 1 ? 4 * layerMicrobatches * moeShare * ((ring(l.ep) * tokensPerMicro * m.moe.topk * m.hidden * bytes) / l.tp / bandwidth(l.ep, l.tp * l.cp) + latency(l.ep, l.tp * l.cp)) : 0;
  // Gradients of this rank's parameters: reduce-scatter and all-gather (or one all-reduce).
  const rankParameters = (active + (paddedVocab(m, l.tp) - m.vocab) * m.hidden) / (l.tp * l.pp);
  const gradientBytes = s.optimizer.gradReduceInFp32 ? 4 : 2;
  const dataGroup = l.dp * l.cp;
  const data = dataGroup > 1 ? (2 * ring(dataGroup) * rankParameters * gradientBytes) / bandwidth(dataGroup, l.tp) : 0;

  const exposedData = Math.max(0, data - (2 / 3) * compute);
  const parts = { compute, bubble, tensor, context, pipeline, expert, data: exposedData };
  return { seconds: Object.values(parts).reduce((a, b) => a + b, 0), parts };
}
