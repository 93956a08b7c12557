// What the memory model needs to know about a training job, as plain numbers: the model, the
// layout, the batch, the numeric precision, the optimizer, recompute, PEFT and the GPU. Plans
// (memory/fromPlan.ts) and `recipe-lens estimate` input (memory/estimateInput.ts) both produce it.
import type { ModelShape } from './shape';
import type { Gpu } from './gpus';

export interface Layout {
  tp: number;
  pp: number;
  /** Virtual pipeline stages per pipeline rank; null without the interleaved schedule. */
  vp: number | null;
  cp: number;
  ep: number;
  /** Expert tensor parallelism (Megatron-Core's default is TP). */
  etp: number;
  dp: number;
  sequenceParallel: boolean;
  /** Micro-batches per virtual stage in the interleaved schedule (Megatron-Core's default is PP). */
  vpGroup: number | null;
  firstStageLayers: number | null;
  lastStageLayers: number | null;
  accountEmbedding: boolean;
  accountLoss: boolean;
}

export type Recompute =
  | { granularity: 'none' }
  /** Megatron-Core's selective recompute of these modules (its default is core_attn). */
  | { granularity: 'selective'; modules: string[] }
  | { granularity: 'full'; method: 'uniform' | 'block'; layers: number };

export interface TrainingSetup {
  model: ModelShape;
  layout: Layout;
  /** Micro-batch size, sequence length, and micro-batches per step (null when unknown: the worst case is assumed). */
  batch: { micro: number; seq: number; microbatches: number | null };
  /** The dtype of the model's weights and activations. */
  dtype: 'bf16' | 'fp16' | 'fp32';
  /** FP8 training with Transformer Engine; `paramGather` keeps the primary weights in FP8. */
  fp8: { paramGather: boolean } | null;
  optimizer: { distributed: boolean; gradReduceInFp32: boolean };
  recompute: Recompute;
  /** LoRA adapters of this rank on linear_qkv, linear_proj, linear_fc1 and linear_fc2. */
  lora: { rank: number } | null;
  /** Flash attention never stores the s x s scores; unfused attention does. */
  attentionBackend: 'flash' | 'unfused';
  /**
   * The layers' implementation: Transformer Engine (what NeMo and Megatron-Bridge build) or
   * Megatron-Core's local layers (what the calibration runs measured).
   */
  implementation: 'transformer-engine' | 'local';
  gpu: Gpu;
}
