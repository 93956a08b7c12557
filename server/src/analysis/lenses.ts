// The memory hints of a file, independent of LSP: an inlay hint after the statement that creates
// each job ("DP=2 · 61.3/79.6 GiB") and a code lens above it with the layout and the peak, for
// clients that show one or the other.
import { memoryHint, peakOverCapacity } from '../memory/format';
import type { Position, Range } from '../parse/positions';
import type { Analysis } from './analyze';
import { layoutLine } from './hover';

export interface MemoryHint {
  position: Position;
  label: string;
  tooltip: string;
}

export interface MemoryLens {
  range: Range;
  title: string;
}

export function memoryHints(analysis: Analysis): MemoryHint[] {
  return analysis.plans.map((plan, i) => {
    const m = analysis.memory[i]!;
    const tooltip = m.estimate ? `${plan.origin}: peak of pipeline stage ${m.estimate.peakStage} on the ${m.gpu.gpu.name}` : `${plan.origin}: ${m.unknown.map((u) => `${u.field} is unknown (${u.reason})`).join('; ')}`;
    return { position: plan.range.end, label: memoryHint(plan.parallelism.dp.value, m), tooltip };
  });
}

export function memoryLenses(analysis: Analysis): MemoryLens[] {
  return analysis.plans.map((plan, i) => {
    const m = analysis.memory[i]!;
    const e = m.estimate;
    const peak = e ? `peak ${peakOverCapacity(e)} per GPU${e.stages.length > 1 ? ` (stage ${e.peakStage})` : ''}, ±${Math.round(e.bandFraction * 100)}%` : 'memory unknown';
    return { range: { start: plan.range.start, end: plan.range.start }, title: `${layoutLine(plan)} · ${peak}` };
  });
}
