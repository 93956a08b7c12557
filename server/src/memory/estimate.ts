// The per-GPU memory estimate: for each pipeline rank, weights, gradients, optimizer state,
// activations and overhead; the peak is the most loaded rank. The band says how far the real
// peak may be from the estimate: the calibration's error where the setup is like the measured
// runs, wider for each part of the setup they do not cover.
import { activationBytes } from './activations';
import { BASE_BAND, UNCALIBRATED_BAND } from './constants';
import { overheadBytes } from './overhead';
import type { TrainingSetup } from './setup';
import { pipelineStages } from './stages';
import { stateBytes } from './state';
import { moeLayers } from './shape';

export interface Breakdown {
  weights: number;
  gradients: number;
  optimizer: number;
  activations: number;
  overhead: number;
}

export interface StageEstimate {
  stage: number;
  /** Weights, gradients, optimizer state and activations: what PyTorch allocates at the peak. */
  tensorBytes: number;
  /** The tensors and the overhead: what nvidia-smi shows at the peak. */
  peakBytes: number;
  breakdown: Breakdown;
  parameters: number;
}

export interface MemoryEstimate {
  gpu: TrainingSetup['gpu'];
  capacityBytes: number;
  peakBytes: number;
  peakStage: number;
  bandFraction: number;
  /** What widened the band beyond the calibration's. */
  bandReasons: string[];
  /**
   * The estimate less the part of the band that comes from what the calibration did not cover:
   * the least the peak can be for the estimate to count as proof (the estimate itself where the
   * setup is calibrated).
   */
  provenPeakBytes: number;
  breakdown: Breakdown;
  stages: StageEstimate[];
}

export const BREAKDOWN_TERMS = ['weights', 'gradients', 'optimizer', 'activations', 'overhead'] as const;

function bandReasons(s: TrainingSetup): string[] {
  const reasons: string[] = [];
  if (s.implementation === 'transformer-engine') reasons.push("Transformer Engine's layers were not measured");
  if (s.fp8) reasons.push('FP8 was not measured');
  if (s.layout.cp > 1) reasons.push('context parallelism was not measured');
  if (s.lora) reasons.push('LoRA was not measured');
  if (s.model.mla) reasons.push('multi-latent attention was not measured');
  if (s.dtype !== 'bf16') reasons.push(`${s.dtype} training was not measured`);
  if (s.layout.ep > 1) reasons.push('routing imbalance between expert-parallel ranks');
  if (s.recompute.granularity === 'full' && s.recompute.method === 'block') reasons.push('block recompute was not measured');
  const modules = s.recompute.granularity === 'selective' ? s.recompute.modules.filter((m) => m !== 'core_attn') : [];
  if (modules.length) reasons.push(`selective recompute of ${modules.join(', ')} was not measured`);
  if (s.gpu.architecture !== 'hopper') reasons.push(`the calibration ran on Hopper GPUs, not ${s.gpu.architecture[0]!.toUpperCase()}${s.gpu.architecture.slice(1)}`);
  return reasons;
}

export function estimateMemory(s: TrainingSetup): MemoryEstimate {
  const stages = pipelineStages(s.model.layers, s.layout, s.batch.microbatches, moeLayers(s.model)).map((stage): StageEstimate => {
    const state = stateBytes(s, stage);
    const activations = activationBytes(s, stage);
    const tensorBytes = state.weights + state.gradients + state.optimizer + activations;
    const overhead = overheadBytes(s, activations);
    return {
      stage: stage.rank,
      tensorBytes,
      peakBytes: tensorBytes + overhead,
      breakdown: { weights: state.weights, gradients: state.gradients, optimizer: state.optimizer, activations, overhead },
      parameters: state.parameters,
    };
  });
  const peak = stages.reduce((a, b) => (b.peakBytes > a.peakBytes ? b : a));
  const reasons = bandReasons(s);
  return {
    gpu: s.gpu,
    capacityBytes: s.gpu.usableBytes,
    peakBytes: peak.peakBytes,
    peakStage: peak.stage,
    bandFraction: Math.round((BASE_BAND + reasons.length * UNCALIBRATED_BAND) * 100) / 100,
    bandReasons: reasons,
    provenPeakBytes: peak.peakBytes * (1 - reasons.length * UNCALIBRATED_BAND),
    breakdown: peak.breakdown,
    stages,
  };
}

/** The largest term of a breakdown, for messages. */
export function largestTerm(b: Breakdown): (typeof BREAKDOWN_TERMS)[number] {
  return BREAKDOWN_TERMS.reduce((a, k) => (b[k] > b[a] ? k : a));
}
