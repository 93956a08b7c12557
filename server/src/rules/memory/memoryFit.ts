// Whether a changed layout of a plan fits in memory, for the layout rules' search: the values a
// message names and the fixes it offers must not trade a refused layout for one that runs out of
// memory. Only a proven overrun (what memory-overrun reports) excludes a layout.
import { estimateMemory } from '../../memory/estimate';
import { setupFromPlan, type PlanMemory } from '../../memory/fromPlan';
import type { TrainingSetup } from '../../memory/setup';
import type { Plan } from '../../plan/plan';
import { pos, type Layout } from '../layout';

/** The setup with the layout's degrees, world and batch; undefined when the layout leaves one unknown. */
function setupForLayout(base: TrainingSetup, l: Layout): TrainingSetup | undefined {
  if (!pos(l.tp) || !pos(l.pp) || !pos(l.cp) || !pos(l.nodes) || !pos(l.gpusPerNode) || !pos(l.mbs)) return undefined;
  const world = l.nodes * l.gpusPerNode;
  const dp = world / (l.tp * l.pp * l.cp);
  if (!Number.isInteger(dp)) return undefined;
  const layout: TrainingSetup['layout'] = {
    ...base.layout,
    tp: l.tp,
    pp: l.pp,
    cp: l.cp,
    dp,
    vp: pos(l.vp) ? l.vp : null,
    ep: pos(l.ep) ? l.ep : 1,
    etp: pos(l.etp) ? l.etp : l.tp,
    sequenceParallel: l.sp === true,
    vpGroup: pos(l.vpGroup) ? l.vpGroup : null,
    firstStageLayers: pos(l.firstStage) ? l.firstStage : null,
    lastStageLayers: pos(l.lastStage) ? l.lastStage : null,
  };
  const microbatches = pos(l.gbs) ? Math.max(1, Math.floor(l.gbs / (l.mbs * dp))) : null;
  return { ...base, layout, batch: { ...base.batch, micro: l.mbs, seq: pos(l.seq) ? l.seq : base.batch.seq, microbatches } };
}

export function memoryFit(plan: Plan, memory: PlanMemory | undefined): ((layout: Layout) => boolean) | undefined {
  if (!memory) return undefined;
  const base = memory.setup ?? (() => {
    const r = setupFromPlan(plan, memory.gpu.gpu, 1);
    return 'setup' in r ? r.setup : undefined;
  })();
  if (!base) return undefined;
  return (layout) => {
    const setup = setupForLayout(base, layout);
    return !setup || estimateMemory(setup).provenPeakBytes <= setup.gpu.usableBytes;
  };
}
