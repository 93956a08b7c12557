// A plan's training setup for the memory model. The estimate needs every value it uses: when one
// is unknown there is no estimate, and the reasons say which values and why (hovers show them).
import { MAX_LAYERS, modelShape } from '../plan/parameters';
import type { Field, Plan } from '../plan/plan';
import { estimateMemory, type MemoryEstimate } from './estimate';
import type { Gpu, GpuChoice } from './gpus';
import type { Recompute, TrainingSetup } from './setup';

export interface UnknownInput {
  /** The plan field, e.g. "parallelism.tp". */
  field: string;
  reason: string;
}

export type SetupResult = { setup: TrainingSetup } | { unknown: UnknownInput[] };

/** The dtype of weights and activations for a Lightning / NeMo precision string. */
export function dtypeOfPrecision(precision: string | number | null): TrainingSetup['dtype'] | undefined {
  const p = String(precision ?? '32');
  if (/bf16/.test(p)) return 'bf16';
  if (/^(16|fp16|16-mixed|16-true)$/.test(p)) return 'fp16';
  if (/^(32|fp32|32-true)$/.test(p)) return 'fp32';
  return undefined;
}

/**
 * The plan's setup for the memory model. `assumeDp` stands in for a data-parallel size that is
 * unknown (a world the layout does not divide), for searches that then set the layout themselves.
 */
export function setupFromPlan(plan: Plan, gpu: Gpu, assumeDp?: number): SetupResult {
  const unknown: UnknownInput[] = [];
  /** The value of a field the estimate needs, or `fallback` when it is None. */
  function need<T>(field: string, f: Field<T>, fallback?: T): T {
    if (f.unknown !== undefined) unknown.push({ field, reason: f.unknown });
    else if (f.value === null && fallback === undefined) unknown.push({ field, reason: 'it is None' });
    return (f.value ?? fallback) as T;
  }
  /**
   * A degree, size or count the model divides by or builds arrays of: zero, negative and absurd
   * values are no memory question (the rules stay silent on them too), so there is no estimate.
   */
  function count<T extends number | null>(field: string, f: Field<T>, fallback?: T, least = 1, most = Number.MAX_SAFE_INTEGER): T {
    const known = unknown.length;
    const n = need(field, f, fallback);
    if (unknown.length === known && n !== null && !(Number.isSafeInteger(n) && n >= least && n <= most)) {
      unknown.push({ field, reason: n > most ? `it is ${n}, more than the ${most} the memory model handles` : `it is ${n}, not a ${least ? 'positive' : 'non-negative'} integer` });
    }
    return n;
  }
  const p = plan.parallelism;
  const shape = modelShape(plan.model);
  if (typeof shape === 'string') unknown.push({ field: 'model', reason: shape });
  if (plan.model.hybridOverridePattern.value) unknown.push({ field: 'model.hybridOverridePattern', reason: 'the memory of hybrid Mamba models is not modelled' });
  if (plan.model.parameters.unknown !== undefined) unknown.push({ field: 'model.parameters', reason: plan.model.parameters.unknown });

  const tp = count('parallelism.tp', p.tp, 1);
  const layout: TrainingSetup['layout'] = {
    tp,
    pp: count('parallelism.pp', p.pp, 1, 1, MAX_LAYERS),
    vp: count<number | null>('parallelism.vp', p.vp, null, 1, MAX_LAYERS),
    cp: count('parallelism.cp', p.cp, 1),
    ep: count('parallelism.ep', p.ep, 1),
    etp: count<number | null>('parallelism.etp', p.etp, null) ?? tp,
    dp: assumeDp !== undefined && p.dp.value === null ? assumeDp : count('parallelism.dp', p.dp),
    sequenceParallel: need('parallelism.sequenceParallel', p.sequenceParallel, false),
    vpGroup: count<number | null>('parallelism.microbatchGroupSizePerVpStage', p.microbatchGroupSizePerVpStage, null),
    firstStageLayers: count<number | null>('parallelism.numLayersInFirstPipelineStage', p.numLayersInFirstPipelineStage, null, 0, MAX_LAYERS),
    lastStageLayers: count<number | null>('parallelism.numLayersInLastPipelineStage', p.numLayersInLastPipelineStage, null, 0, MAX_LAYERS),
    accountEmbedding: need('parallelism.accountForEmbeddingInPipelineSplit', p.accountForEmbeddingInPipelineSplit, false),
    accountLoss: need('parallelism.accountForLossInPipelineSplit', p.accountForLossInPipelineSplit, false),
  };
  // The pipeline is built chunk by chunk.
  if (layout.pp * (layout.vp ?? 1) > MAX_LAYERS) unknown.push({ field: 'parallelism.vp', reason: `PP x VP is ${layout.pp * (layout.vp ?? 1)}, more than the ${MAX_LAYERS} pipeline chunks the memory model handles` });
  const micro = count('batch.micro', plan.batch.micro);
  const seq = plan.batch.seqLength.value === null && plan.batch.seqLength.unknown === undefined ? count('model.seqLength', plan.model.seqLength) : count('batch.seqLength', plan.batch.seqLength);
  // Without the global batch the micro-batch count is unknown; the schedule's worst case is used.
  const global = plan.batch.global.unknown === undefined ? plan.batch.global.value : null;
  const microbatches = global !== null && micro && layout.dp ? Math.max(1, Math.floor(global / (micro * layout.dp))) : null;

  const precision = need<string | null>('precision', plan.precision, null);
  const dtype = dtypeOfPrecision(precision);
  if (!dtype) unknown.push({ field: 'precision', reason: `the precision "${precision}" is not modelled` });
  const fp8Format = need<string | null>('fp8.format', plan.fp8.format, null);
  const paramGather = need('fp8.paramGather', plan.fp8.paramGather, false);

  const granularity = need<string | null>('recompute.granularity', plan.recompute.granularity, null);
  let recompute: Recompute;
  if (granularity === 'full') {
    // Megatron-Core's full recompute needs a method; uniform over one layer is what NeMo's recipes use.
    const method = need<string | null>('recompute.method', plan.recompute.method, null);
    recompute = { granularity: 'full', method: method === 'block' ? 'block' : 'uniform', layers: count('recompute.numLayers', plan.recompute.numLayers, 1) };
  } else {
    const modules = granularity === 'selective' ? need<string[] | null>('recompute.modules', plan.recompute.modules, null) : null;
    recompute = granularity === 'selective' ? { granularity: 'selective', modules: modules ?? ['core_attn'] } : { granularity: 'none' };
  }

  let lora: TrainingSetup['lora'] = null;
  if (plan.peft) {
    const scheme = need<string | null>('peft.scheme', plan.peft.scheme, null);
    if (scheme === 'lora' || scheme === 'dora') lora = { rank: count('peft.dim', plan.peft.dim, 32) };
    else if (scheme !== null) unknown.push({ field: 'peft.scheme', reason: `the memory of ${scheme} adapters is not modelled` });
  }

  const backend = need('attentionBackend', plan.attentionBackend, 'flash');
  const distributed = need('optimizer.distributed', plan.optimizer.distributed, false);
  const gradReduceInFp32 = need('optimizer.gradReduceInFp32', plan.optimizer.gradReduceInFp32, false);

  if (unknown.length || typeof shape === 'string' || !dtype) return { unknown };
  return {
    setup: {
      model: shape,
      layout,
      batch: { micro, seq, microbatches },
      dtype,
      fp8: fp8Format ? { paramGather } : null,
      optimizer: { distributed, gradReduceInFp32 },
      recompute,
      lora,
      attentionBackend: backend === 'unfused' ? 'unfused' : 'flash',
      // NeMo builds its GPT models with Transformer Engine's layer spec.
      implementation: 'transformer-engine',
      gpu,
    },
  };
}

/** A plan's memory: the estimate for the chosen GPU, or the unknown values that prevent one. */
export interface PlanMemory {
  gpu: GpuChoice;
  setup: TrainingSetup | null;
  estimate: MemoryEstimate | null;
  unknown: UnknownInput[];
}

export function planMemory(plan: Plan, gpu: GpuChoice): PlanMemory {
  const result = setupFromPlan(plan, gpu.gpu);
  if ('unknown' in result) return { gpu, setup: null, estimate: null, unknown: result.unknown };
  return { gpu, setup: result.setup, estimate: estimateMemory(result.setup), unknown: [] };
}
