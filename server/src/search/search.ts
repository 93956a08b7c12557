// The layout search: every combination of TP, PP, VP, CP, EP, ETP, sequence parallelism, micro
// batch, recompute and distributed optimizer that every rule accepts for a plan's model, batch and
// GPU, on its world (or on every world up to a budget), with its memory estimate and step time,
// ranked: layouts that fit with headroom first, then those that fit, each by step time, ties going
// to the layout closest to the user's. The degrees are enumerated as divisors of what is left of
// the world, so the space is never a product to filter; a structure (TP, PP, CP, VP, EP, ETP) whose
// most frugal variant does not fit is dropped with all its variants.
import { estimateMemory, type MemoryEstimate } from '../memory/estimate';
import { setupFromPlan, type PlanMemory } from '../memory/fromPlan';
import type { TrainingSetup } from '../memory/setup';
import type { Plan } from '../plan/plan';
import { checkLayout } from '../rules/check';
import type { FieldChange } from '../rules/diagnose';
import { layoutOf, pos, type Layout } from '../rules/layout';
import { NEAR_LIMIT } from '../rules/memory/memoryNearLimit';
import type { RuleSettings } from '../rules/rule';
import { stepTime, type StepTime } from './stepTime';

export interface LayoutChoice {
  nodes: number;
  gpusPerNode: number;
  tp: number;
  pp: number;
  vp: number | null;
  cp: number;
  ep: number;
  /** null: follows TP. */
  etp: number | null;
  sp: boolean;
  mbs: number;
  recompute: 'none' | 'selective' | 'full';
  distributedOptimizer: boolean;
}

export interface RankedLayout {
  choice: LayoutChoice;
  dp: number;
  estimate: MemoryEstimate;
  step: StepTime;
  /** At most the near-limit share of the GPU's memory. */
  roomy: boolean;
  /** The field changes from the plan's layout. */
  changes: FieldChange[];
}

/**
 * The largest world searched: degrees are enumerated as divisors, which takes the square root of
 * the world for each, so a typo such as `num_nodes = 2**50` would hang the search.
 */
const MAX_SEARCHED_GPUS = 1 << 20;

export interface SearchOptions {
  /** Search this world size instead of the plan's (whole nodes of the plan's GPUs per node). */
  gpus?: number;
  /** Search every world size up to this many GPUs. */
  maxGpus?: number;
  top?: number;
}

export interface SearchStats {
  /** Structures (world, TP, PP, CP, VP, EP, ETP) enumerated. */
  structures: number;
  /** Variants whose memory was estimated (the bound skips the rest). */
  estimated: number;
}

export type SearchResult = { layouts: RankedLayout[]; stats: SearchStats } | { unknown: string };

function divisors(n: number): number[] {
  const out: number[] = [];
  for (let d = 1; d * d <= n; d++) {
    if (n % d) continue;
    out.push(d);
    if (d * d !== n) out.push(n / d);
  }
  return out.sort((a, b) => a - b);
}

/** Node counts up to a budget: 1, 2, 3, 4, 6, 8, 12, 16, ... (2^a and 3 x 2^a), which divide well. */
function nodeCounts(maxNodes: number): number[] {
  const out: number[] = [];
  for (let p = 1; p <= maxNodes; p *= 2) {
    out.push(p);
    if (3 * p <= maxNodes && p > 0) out.push(3 * p);
  }
  return [...new Set(out)].filter((n) => n >= 1).sort((a, b) => a - b);
}

function baseSetup(plan: Plan, memory: PlanMemory): TrainingSetup | undefined {
  if (memory.setup) return memory.setup;
  const r = setupFromPlan(plan, memory.gpu.gpu, 1);
  return 'setup' in r ? r.setup : undefined;
}

export function searchLayouts(plan: Plan, memory: PlanMemory, settings: RuleSettings, options: SearchOptions = {}): SearchResult {
  const base = baseSetup(plan, memory);
  if (!base) return { unknown: memory.unknown.map((u) => `${u.field}: ${u.reason}`).join('; ') || 'the plan has no memory estimate' };
  const current = layoutOf(plan);
  if (!pos(current.nodes) && pos(current.world) && !options.maxGpus && !options.gpus) {
    // Only the total is stated (a Bridge directive): assume full nodes of the GPU's NVLink domain.
    const perNode = pos(current.gpusPerNode) ? current.gpusPerNode : Math.min(base.gpu.nvlinkDomain, current.world);
    if (current.world % perNode !== 0) return { unknown: `the world size ${current.world} is not a whole number of ${perNode}-GPU nodes; give a GPU count` };
    current.nodes = current.world / perNode;
    current.gpusPerNode = perNode;
  }
  const gbs = current.gbs;
  if (!pos(gbs)) return { unknown: 'the global batch size is unknown' };
  const gpusPerNode = pos(current.gpusPerNode) ? current.gpusPerNode : base.gpu.nvlinkDomain;
  let worlds: number[];
  if (options.maxGpus) worlds = nodeCounts(Math.floor(options.maxGpus / gpusPerNode));
  else if (options.gpus) worlds = [Math.max(1, Math.floor(options.gpus / gpusPerNode))];
  else if (pos(current.nodes)) worlds = [current.nodes];
  else return { unknown: 'the node count is unknown; give a GPU count' };
  if (Math.max(...worlds) * gpusPerNode > MAX_SEARCHED_GPUS) return { unknown: `the world of ${Math.max(...worlds) * gpusPerNode} GPUs is larger than the ${MAX_SEARCHED_GPUS} the search enumerates` };

  // Warnings the plan already has are not the layouts' doing.
  const existing = new Set(checkLayout(current, settings).map((v) => v.rule.code));
  const m = base.model;
  const capacity = base.gpu.usableBytes;
  const recomputes: LayoutChoice['recompute'][] = base.recompute.granularity === 'full' ? ['full'] : [base.recompute.granularity, 'full'];
  const dos = base.optimizer.distributed ? [true] : [false, true];
  const experts = m.moe?.experts ?? 0;
  // One scratch layout for the rules, reassigned for each candidate (the rules keep nothing).
  const scratch: Layout = { ...current };
  const out: RankedLayout[] = [];
  let considered = 0;
  // The step times of the best K layouts with headroom found so far, fastest first.
  const best: number[] = [];
  const top = options.top;
  const keep = (seconds: number) => {
    if (top === undefined) return;
    best.splice(best.findIndex((b) => b > seconds) >>> 0, 0, seconds);
    if (best.length > top) best.pop();
  };
  const bound = () => (top !== undefined && best.length >= top ? best[top - 1]! : Number.POSITIVE_INFINITY);

  // Every structure (world, TP, PP, CP, VP, EP, ETP) with its micro batches, and the time of its
  // fastest variant: the cheap time model orders the search, so that the memory model and the
  // rules run first on the most promising structures.
  interface Structure {
    choice: Omit<LayoutChoice, 'mbs' | 'recompute' | 'distributedOptimizer'>;
    resolvedEtp: number;
    dp: number;
    mbsOptions: number[];
    fastest: number;
  }
  const structures: Structure[] = [];
  // One scratch setup for timing the structures (the time model keeps nothing).
  const timing: TrainingSetup = { ...base, layout: { ...base.layout }, batch: { ...base.batch }, recompute: recomputes[0] === 'full' ? { granularity: 'full', method: 'uniform', layers: 1 } : base.recompute, optimizer: { ...base.optimizer, distributed: true } };
  for (const nodes of worlds) {
    const world = nodes * gpusPerNode;
    for (const tp of divisors(world)) {
      if (m.heads % tp) continue;
      for (const pp of divisors(world / tp)) {
        if (pp > m.layers) continue;
        for (const cp of divisors(world / (tp * pp))) {
          if (cp > 1 && base.batch.seq % (2 * cp)) continue;
          const dp = world / (tp * pp * cp);
          // Micro batches that divide the global batch over DP; the user's own first among
          // equals (without a pipeline, the micro batch does not change the modelled step time).
          const mbsOptions = [current.mbs ?? 1, 1, 2, 4].filter((b, i, all) => pos(b) && all.indexOf(b) === i && gbs % (b * dp) === 0);
          mbsOptions.sort((a, b) => (pp > 1 ? a - b : Number(b === current.mbs) - Number(a === current.mbs)));
          if (!mbsOptions.length) continue;
          // Layers per stage, the embedding and the loss counting as layers when the plan says so.
          const perStage = (m.layers + (current.accountEmbedding ? 1 : 0) + (current.accountLoss ? 1 : 0)) / pp;
          const vps: (number | null)[] = [null];
          if (pp > 1 && Number.isInteger(perStage) && current.firstStage == null && current.lastStage == null) {
            for (const v of divisors(perStage)) if (v > 1) vps.push(v);
          }
          const eps = experts ? divisors(experts).filter((e) => world % (e * pp) === 0) : [1];
          // ETP 1 is the same as "follows TP" when TP is 1.
          const etps: (number | null)[] = experts && tp > 1 ? [null, 1] : [current.etp ?? null];
          for (const vp of vps) {
            for (const ep of eps) {
              for (const etp of etps) {
                const resolvedEtp = etp ?? tp;
                if (experts && world % (resolvedEtp * ep * pp)) continue;
                const choice = { nodes, gpusPerNode, tp, pp, vp, cp, ep, etp, sp: tp > 1 };
                Object.assign(timing.layout, { tp, pp, vp, cp, ep, etp: resolvedEtp, dp, sequenceParallel: tp > 1 });
                timing.batch.micro = Math.min(...mbsOptions);
                timing.batch.microbatches = Math.max(1, Math.floor(gbs / (timing.batch.micro * dp)));
                structures.push({ choice, resolvedEtp, dp, mbsOptions, fastest: stepTime(timing, gbs).seconds });
              }
            }
          }
        }
      }
    }
  }
  structures.sort((a, b) => a.fastest - b.fastest);

  function setupFor(st: Structure, c: LayoutChoice): TrainingSetup {
    return {
      ...base!,
      layout: { ...base!.layout, tp: c.tp, pp: c.pp, vp: c.vp, cp: c.cp, ep: c.ep, etp: st.resolvedEtp, dp: st.dp, sequenceParallel: c.sp },
      batch: { ...base!.batch, micro: c.mbs, microbatches: Math.max(1, Math.floor(gbs! / (c.mbs * st.dp))) },
      recompute: c.recompute === 'full' ? { granularity: 'full', method: 'uniform', layers: 1 } : c.recompute === 'selective' ? { granularity: 'selective', modules: base!.recompute.granularity === 'selective' ? base!.recompute.modules : ['core_attn'] } : { granularity: 'none' },
      optimizer: { ...base!.optimizer, distributed: c.distributedOptimizer },
    };
  }

  for (const st of structures) {
    // Sorted: once the fastest variant is slower than the K-th best layout with headroom, no
    // structure left can enter the top K.
    if (st.fastest > bound()) break;
    considered++;
    // The most frugal variant: if it does not fit, none does.
    if (estimateMemory(setupFor(st, { ...st.choice, mbs: st.mbsOptions[0]!, recompute: 'full', distributedOptimizer: true })).provenPeakBytes > capacity) continue;
    // The rules see the degrees and the micro batch (recompute and the optimizer are not theirs
    // to check).
    const accepted = st.mbsOptions.filter((mbs) => {
      assignLayout(scratch, current, { ...st.choice, mbs, recompute: 'none', distributedOptimizer: true });
      return !checkLayout(scratch, settings).some((v) => v.severity === 'error' || !existing.has(v.rule.code));
    });
    // Variants from fastest to slowest (no recompute before full, then smaller micro batches,
    // whose pipeline bubble is smaller): once one fits with headroom, the slower ones rank below it.
    variants: for (const recompute of recomputes) {
      for (const mbs of accepted) {
        for (const distributedOptimizer of dos) {
          const choice: LayoutChoice = { ...st.choice, mbs, recompute, distributedOptimizer };
          considered++;
          const setup = setupFor(st, choice);
          const estimate = estimateMemory(setup);
          if (estimate.peakBytes > capacity) continue;
          const roomy = estimate.peakBytes <= NEAR_LIMIT * capacity;
          const step = stepTime(setup, gbs);
          out.push({ choice, dp: st.dp, estimate, step, roomy, changes: changesFrom(current, choice) });
          if (roomy) {
            keep(step.seconds);
            break variants;
          }
        }
      }
    }
  }
  out.sort((a, b) => Number(b.roomy) - Number(a.roomy) || a.step.seconds - b.step.seconds || a.changes.length - b.changes.length);
  return { layouts: out.slice(0, options.top ?? out.length), stats: { structures: structures.length, estimated: considered } };
}

/** Sets `l` to the plan's layout with a choice's values, as the rules read it. */
function assignLayout(l: Layout, current: Layout, c: LayoutChoice): void {
  l.nodes = c.nodes;
  l.gpusPerNode = c.gpusPerNode;
  l.tp = c.tp;
  l.pp = c.pp;
  l.vp = c.vp;
  l.cp = c.cp;
  l.ep = c.ep;
  l.etp = c.etp;
  l.sp = c.sp;
  l.mbs = c.mbs;
  l.recomputeGranularity = c.recompute === 'none' ? null : c.recompute;
  l.distributedOptimizer = c.distributedOptimizer;
  // An executor sized like the trainer follows it.
  if (current.executor && current.executor.nodes === current.nodes) l.executor = { ...current.executor, nodes: c.nodes };
}

function changesFrom(current: Layout, c: LayoutChoice): FieldChange[] {
  const out: FieldChange[] = [];
  const set = (key: FieldChange['key'], now: unknown, value: FieldChange['value']) => {
    if (now !== value) out.push({ key, value });
  };
  if (c.nodes !== current.nodes) {
    out.push({ key: 'nodes', value: c.nodes });
    if (current.executor && current.executor.nodes === current.nodes) out.push({ key: 'executorNodes', value: c.nodes });
  }
  set('tp', current.tp, c.tp);
  set('pp', current.pp, c.pp);
  set('vp', current.vp ?? null, c.vp);
  set('cp', current.cp, c.cp);
  set('ep', current.ep, c.ep);
  set('etp', current.etp ?? null, c.etp);
  set('sp', current.sp ?? false, c.sp);
  set('mbs', current.mbs, c.mbs);
  const recompute = c.recompute === 'none' ? null : c.recompute;
  if ((current.recomputeGranularity ?? null) !== recompute) {
    out.push({ key: 'recomputeGranularity', value: recompute });
    if (recompute === 'full') out.push({ key: 'recomputeMethod', value: 'uniform' }, { key: 'recomputeNumLayers', value: 1 });
  }
  set('distributedOptimizer', current.distributedOptimizer ?? false, c.distributedOptimizer);
  return out;
}
