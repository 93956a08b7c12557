// Activation memory of one pipeline rank at its peak. Each decoder layer keeps, per token of a
// micro-batch, the tensors its backward pass needs, counted tensor by tensor for Megatron-Core's
// layers with flash attention (the inventory is in docs/memory.md): the inputs and outputs of the
// two norms (sharded by TP only with sequence parallelism), the fused QKV output and the rotated Q
// and K, the attention output and the output projection's input, the MLP's up projection and
// activation output, and for MoE layers those of every routed copy of a token. A rank holds the
// layers of its micro-batches in flight (memory/stages.ts); full recompute keeps only each
// group's input and rebuilds one group at a time; the last stage adds the logits.
import { LOGIT_BYTES, RUNTIME_BUFFERS_BYTES, UNFUSED_SCORE_TRANSIENTS } from './constants';
import { paddedVocab } from './shape';
import type { TrainingSetup } from './setup';
import type { Stage } from './stages';

/** Bytes per token (of one micro-batch on this rank) that each kind of layer keeps, in 16-bit activations. */
function perTokenBytes(s: TrainingSetup, moe: boolean): number {
  const m = s.model;
  const l = s.layout;
  const t = l.tp;
  const h = m.hidden;
  // Selective recompute drops the named modules' outputs and rebuilds them in the backward pass.
  const recomputed = new Set(s.recompute.granularity === 'selective' ? s.recompute.modules : []);
  const kept = (module: string, bytes: number) => (recomputed.has(module) ? 0 : bytes);
  // Without sequence parallelism the norms' tensors are whole on every TP rank.
  const seqShard = l.sequenceParallel ? t : 1;
  let bytes = (4 * h) / seqShard + kept('layernorm', (4 * h) / seqShard);

  let attentionOut: number;
  if (m.mla) {
    const qk = m.heads * (m.mla.qkHeadDim + m.mla.qkPosEmbHeadDim);
    const v = m.heads * m.mla.vHeadDim;
    // Up projections' Q, K, V and the rotated Q and K; the attention output and the projection's input.
    bytes += kept('mla_up_proj', (2 * (2 * qk + v) + (m.rotary ? 4 * qk : 0)) / t) + (4 * v) / t;
    // The down projections run on every TP rank and keep their latent outputs whole.
    bytes += 2 * ((m.mla.qLoraRank ?? 0) + m.mla.kvLoraRank + m.mla.qkPosEmbHeadDim);
    attentionOut = v;
  } else {
    const q = m.heads * m.kvChannels;
    const kv = m.queryGroups * m.kvChannels;
    if (s.implementation === 'local') {
      // The fused QKV output (kept as V's storage), rotated Q and K, the attention output and the
      // output projection's contiguous copy of it.
      bytes += (m.rotary ? 8 * q + 6 * kv : 6 * q + 4 * kv) / t;
    } else {
      // Transformer Engine's attention takes contiguous Q, K and V (the fused QKV output is freed)
      // and returns its output in the layout the output projection reads.
      bytes += (4 * q + 4 * kv) / t;
    }
    attentionOut = q;
  }
  if (s.attentionBackend === 'unfused' && s.recompute.granularity === 'none') bytes += (2 * m.heads * s.batch.seq) / t;
  else if (s.attentionBackend === 'unfused') bytes += kept('core_attn', (2 * m.heads * s.batch.seq) / t);

  // An MLP keeps its up projection's output and its activation's output.
  const upBytes = (inner: number) => (m.gated ? 4 : 2) * inner;
  let fc2Input: number;
  if (moe && m.moe) {
    // Every routed copy keeps its permuted input (whole over expert TP) and its expert MLP tensors.
    const routed = m.moe.topk * (2 * h * l.etp + upBytes(m.moe.ffn) + kept('moe_act', 2 * m.moe.ffn));
    const shared = m.moe.sharedFfn ? kept('shared_experts', upBytes(m.moe.sharedFfn) + 2 * m.moe.sharedFfn) : 0;
    bytes += kept('moe', (routed + shared) / t);
    fc2Input = m.moe.topk * m.moe.ffn + m.moe.sharedFfn;
  } else {
    bytes += kept('mlp', (upBytes(m.ffn) + 2 * m.ffn) / t);
    fc2Input = m.ffn;
  }

  if (s.fp8) {
    // Transformer Engine keeps the inputs of FP8 GEMMs in one byte instead of two.
    bytes -= kept('layernorm', (2 * h) / seqShard) + attentionOut / t + fc2Input / t;
  }
  if (s.lora && l.sequenceParallel && t > 1) {
    // LoRA's A on the column-parallel linear_qkv and linear_fc1 keeps the all-gathered input.
    bytes += 2 * 2 * h * (1 - 1 / t);
  }
  return s.dtype === 'fp32' ? 2 * bytes : bytes;
}

export function activationBytes(s: TrainingSetup, stage: Stage): number {
  const m = s.model;
  const l = s.layout;
  const tokens = (s.batch.micro * s.batch.seq) / l.cp;
  const dense = perTokenBytes(s, false);
  const moe = m.moe ? perTokenBytes(s, true) : dense;
  const count = stage.layerCount;
  const moeCount = stage.moeLayerCount;
  const mean = count ? ((count - moeCount) * dense + moeCount * moe) / count : 0;
  const largest = count ? Math.max(moeCount < count ? dense : 0, moeCount > 0 ? moe : 0) : 0;
  const checkpoint = ((s.dtype === 'fp32' ? 4 : 2) * m.hidden) / (l.sequenceParallel ? l.tp : 1);
  const v = l.vp ?? 1;

  let bytes: number;
  const r = s.recompute;
  if (r.granularity === 'full' && count > 0) {
    const group = Math.max(1, r.layers);
    const perChunk = count / v;
    if (r.method === 'uniform') {
      // One checkpoint per group of layers, then one group rebuilt at a time in the backward pass.
      bytes = stage.chunksInFlight * Math.ceil(perChunk / group) * checkpoint + Math.min(group, perChunk) * largest;
    } else {
      // The first `group` layers of each chunk keep only their input; the others keep everything.
      const recomputed = Math.min(group, perChunk);
      bytes = stage.chunksInFlight * (recomputed * checkpoint + (perChunk - recomputed) * mean) + largest;
    }
  } else {
    bytes = stage.layersInFlight * mean;
  }
  bytes *= tokens;

  if (stage.holdsOutput) {
    bytes += (1 + m.mtpLayers) * LOGIT_BYTES * tokens * (paddedVocab(m, l.tp) / l.tp);
    bytes += m.mtpLayers * dense * tokens;
  }
  if (s.attentionBackend === 'unfused' && count > 0) {
    bytes += UNFUSED_SCORE_TRANSIENTS * tokens * ((2 * m.heads * s.batch.seq) / l.tp);
  }
  return bytes + RUNTIME_BUFFERS_BYTES;
}
