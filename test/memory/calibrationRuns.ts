// The measured runs of test/reference/h100-megatron-memory.jsonl.gz, and each run's setup as the
// memory model takes it. The runs' own fields are read, never their measured results.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { findGpu } from '../../server/src/memory/gpus';
import type { Recompute, TrainingSetup } from '../../server/src/memory/setup';
import type { ModelShape } from '../../server/src/memory/shape';

export interface RankRecord {
  tp_rank: number;
  pp_rank: number;
  dp_rank: number;
  num_params: number;
  max_memory_allocated: number;
  max_memory_reserved: number;
  nvml_used_max_sampled: number;
}

export interface Run {
  name: string;
  status: 'ok' | 'oom';
  model: { layers: number; hidden: number; heads: number; query_groups: number; ffn: number; vocab: number; seq: number; tied_embeddings: boolean; swiglu: boolean };
  tp: number;
  pp: number;
  vp: number | null;
  cp: number;
  sp: boolean;
  dp: number;
  ep: number;
  mbs: number;
  gbs: number;
  num_microbatches: number;
  recompute: 'none' | 'selective' | 'full';
  recompute_detail: { recompute_method: string | null; recompute_num_layers: number | null };
  distributed_optimizer: boolean;
  accumulate_allreduce_grads_in_fp32: boolean;
  grad_reduce_in_bf16: boolean;
  attn_impl: 'sdpa' | 'local';
  moe: { num_experts: number; topk: number; moe_ffn_hidden_size: number; etp: number } | null;
  per_rank: RankRecord[];
}

export function calibrationRuns(): Run[] {
  const text = gunzipSync(readFileSync(join(__dirname, '..', 'reference', 'h100-megatron-memory.jsonl.gz'))).toString('utf8');
  return text
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line) as Run);
}

/** A Llama-style model (RMSNorm, rotary embeddings, no biases, dense unless `moe` is given). */
export function llamaStyle(shape: Pick<ModelShape, 'layers' | 'hidden' | 'ffn' | 'heads' | 'queryGroups' | 'vocab' | 'tiedEmbeddings' | 'gated'> & Partial<ModelShape>): ModelShape {
  return {
    kvChannels: shape.hidden / shape.heads,
    makeVocabDivisibleBy: 128,
    bias: false,
    qkvBias: false,
    qkLayernorm: false,
    layerNorm: false,
    rotary: true,
    learnedPositions: 0,
    moe: null,
    mla: null,
    mtpLayers: 0,
    ...shape,
  };
}

export function setupOfRun(run: Run): TrainingSetup {
  const m = run.model;
  const recompute: Recompute =
    run.recompute === 'full'
      ? { granularity: 'full', method: run.recompute_detail.recompute_method === 'block' ? 'block' : 'uniform', layers: run.recompute_detail.recompute_num_layers ?? 1 }
      : run.recompute === 'selective'
        ? { granularity: 'selective', modules: ['core_attn'] }
        : { granularity: 'none' };
  return {
    model: llamaStyle({
      layers: m.layers,
      hidden: m.hidden,
      ffn: m.ffn,
      heads: m.heads,
      queryGroups: m.query_groups,
      vocab: m.vocab,
      tiedEmbeddings: m.tied_embeddings,
      gated: m.swiglu,
      moe: run.moe ? { experts: run.moe.num_experts, topk: run.moe.topk, ffn: run.moe.moe_ffn_hidden_size, sharedFfn: 0, layerFreq: 1 } : null,
    }),
    layout: {
      tp: run.tp,
      pp: run.pp,
      vp: run.vp,
      cp: run.cp,
      ep: run.ep,
      etp: run.moe?.etp ?? run.tp,
      dp: run.dp,
      sequenceParallel: run.sp,
      vpGroup: null,
      firstStageLayers: null,
      lastStageLayers: null,
      accountEmbedding: false,
      accountLoss: false,
    },
    batch: { micro: run.mbs, seq: m.seq, microbatches: run.num_microbatches },
    dtype: 'bf16',
    fp8: null,
    optimizer: { distributed: run.distributed_optimizer, gradReduceInFp32: run.accumulate_allreduce_grads_in_fp32 && !run.grad_reduce_in_bf16 },
    recompute,
    lora: null,
    attentionBackend: run.attn_impl === 'local' ? 'unfused' : 'flash',
    implementation: 'local',
    gpu: findGpu('h100-80gb')!,
  };
}
