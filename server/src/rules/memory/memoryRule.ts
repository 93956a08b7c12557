// Rules on a plan's memory estimate rather than its layout: they see the plan, its training setup
// and the estimate for the chosen GPU, and say what is wrong; rules/memory/diagnoseMemory.ts
// points at the line, lists the other lines involved and searches for the changes that fit.
import type { PlanMemory } from '../../memory/fromPlan';
import type { MemoryEstimate } from '../../memory/estimate';
import type { TrainingSetup } from '../../memory/setup';
import type { Plan } from '../../plan/plan';
import type { LayoutKey } from '../layout';
import type { RuleDoc } from '../rule';
export { gib } from '../../memory/format';

export interface MemoryContext {
  plan: Plan;
  memory: PlanMemory;
  setup: TrainingSetup;
  estimate: MemoryEstimate;
}

export interface MemoryViolation {
  message: string;
  /** The fields involved, for the location and related information. */
  fields: LayoutKey[];
  /** The estimate must end at or below this to clear the violation; undefined: no memory fix applies. */
  limitBytes?: number;
}

export interface MemoryRule extends RuleDoc {
  check(ctx: MemoryContext): MemoryViolation | undefined;
}

/** "on pipeline stage 0 of 4" when there is more than one. */
export function stageText(e: MemoryEstimate): string {
  return e.stages.length > 1 ? ` on pipeline stage ${e.peakStage} of ${e.stages.length}` : '';
}

/** The fields whose values move the estimate, in the order the location prefers them. */
export const MEMORY_FIELDS: LayoutKey[] = ['mbs', 'seq', 'tp', 'pp', 'vp', 'cp', 'ep', 'recomputeGranularity', 'distributedOptimizer', 'nodes', 'gpusPerNode'];
