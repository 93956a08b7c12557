// How estimates are written for people (messages, hovers, hints, the CLI) and as JSON (the CLI's
// contract in docs/cli.md), in one place so every surface shows the same numbers.
import { BREAKDOWN_TERMS, type Breakdown, type MemoryEstimate } from './estimate';
import type { PlanMemory } from './fromPlan';

const GiB = 2 ** 30;

export function gib(bytes: number): string {
  return (bytes / GiB).toFixed(1);
}

/** "61.3/79.6 GiB". */
export function peakOverCapacity(e: MemoryEstimate): string {
  return `${gib(e.peakBytes)}/${gib(e.capacityBytes)} GiB`;
}

/** "weights 4.2 · gradients 8.5 · optimizer 25.4 · activations 23.7 · overhead 7.9". */
export function breakdownText(b: Breakdown, separator = ' · '): string {
  return BREAKDOWN_TERMS.map((k) => `${k} ${gib(b[k])}`).join(separator);
}

function breakdownJson(b: Breakdown): Record<string, number> {
  return Object.fromEntries(BREAKDOWN_TERMS.map((k) => [k, Math.round(b[k])]));
}

export interface MemoryJson {
  gpu: string;
  capacityBytes: number;
  peakBytes: number;
  peakStage: number;
  bandFraction: number;
  bandReasons: string[];
  breakdown: Record<string, number>;
  stages: { stage: number; peakBytes: number; breakdown: Record<string, number> }[];
}

export function memoryJson(e: MemoryEstimate): MemoryJson {
  return {
    gpu: e.gpu.id,
    capacityBytes: e.capacityBytes,
    peakBytes: Math.round(e.peakBytes),
    peakStage: e.peakStage,
    bandFraction: e.bandFraction,
    bandReasons: e.bandReasons,
    breakdown: breakdownJson(e.breakdown),
    stages: e.stages.map((s) => ({ stage: s.stage, peakBytes: Math.round(s.peakBytes), breakdown: breakdownJson(s.breakdown) })),
  };
}

/** The CLI's memory line of a plan. */
export function memoryLine(m: PlanMemory): string {
  const e = m.estimate;
  if (!e) return `? for the ${m.gpu.gpu.name}: ${m.unknown.map((u) => `${u.field} (${u.reason})`).join('; ')}`;
  const stage = e.stages.length > 1 ? `, stage ${e.peakStage}` : '';
  return `${peakOverCapacity(e)} per GPU (${m.gpu.gpu.id}, ±${Math.round(e.bandFraction * 100)}%${stage}): ${breakdownText(e.breakdown)}`;
}
