// From plans' memory estimates to diagnostics: runs the memory rules, points at the line the user
// is most likely to change, and searches for the changes that bring the estimate under the limit:
// the distributed optimizer, full recompute, the nearest larger TP or PP that every layout rule
// accepts (the world size kept), a smaller micro batch. Each candidate is estimated here; the
// analysis then proves the survivors by re-analysing the fixed file.
import { estimateMemory } from '../../memory/estimate';
import type { PlanMemory } from '../../memory/fromPlan';
import type { TrainingSetup } from '../../memory/setup';
import type { Plan } from '../../plan/plan';
import { acceptedValues, candidates } from '../check';
import { locate, locateFields, type Candidate, type Finding } from '../diagnose';
import { layoutOf, type Layout } from '../layout';
import type { RuleSettings } from '../rule';
import { fp8WithoutGpuSupport } from './fp8WithoutGpuSupport';
import { gib } from './memoryRule';
import { NEAR_LIMIT } from './memoryNearLimit';
import { MEMORY_RULES } from './memoryRules';

interface Relief {
  candidate: Candidate;
  /** How the message names it: "the distributed optimizer", "TP 8". */
  label: string;
  peakBytes: number;
}

function withLayout(s: TrainingSetup, change: Partial<TrainingSetup['layout']>, micro = s.batch.micro): TrainingSetup {
  const old = s.layout;
  const layout = { ...old, ...change };
  const world = old.tp * old.pp * old.cp * old.dp;
  layout.dp = world / (layout.tp * layout.pp * layout.cp);
  // Micro-batches per step follow the global batch, which a change of layout keeps.
  const global = s.batch.microbatches !== null ? s.batch.microbatches * s.batch.micro * old.dp : null;
  const microbatches = global !== null ? Math.max(1, Math.floor(global / (micro * layout.dp))) : null;
  return { ...s, layout, batch: { ...s.batch, micro, microbatches } };
}

/** The changes that bring the plan's estimate to `limit` bytes or below, best first. */
function reliefs(plan: Plan, setup: TrainingSetup, limit: number, settings: RuleSettings): Relief[] {
  const out: Relief[] = [];
  const tryIt = (label: string, candidate: Candidate, changed: TrainingSetup) => {
    const peak = estimateMemory(changed).peakBytes;
    if (peak <= limit) out.push({ label, candidate, peakBytes: peak });
    return peak <= limit;
  };
  if (!setup.optimizer.distributed) {
    tryIt('the distributed optimizer', { changes: [{ key: 'distributedOptimizer', value: true }] }, { ...setup, optimizer: { ...setup.optimizer, distributed: true } });
  }
  if (setup.recompute.granularity !== 'full') {
    tryIt(
      'full activation recompute',
      { title: 'Recompute activations in full (uniform, one layer per group)', changes: [{ key: 'recomputeGranularity', value: 'full' }, { key: 'recomputeMethod', value: 'uniform' }, { key: 'recomputeNumLayers', value: 1 }] },
      { ...setup, recompute: { granularity: 'full', method: 'uniform', layers: 1 } },
    );
  }
  const layout: Layout = layoutOf(plan);
  for (const key of ['tp', 'pp'] as const) {
    const current = setup.layout[key];
    const larger = candidates(layout, key).filter((v): v is number => typeof v === 'number' && v > current);
    for (const v of acceptedValues(layout, key, settings, larger) as Generator<number>) {
      const change: Partial<TrainingSetup['layout']> = key === 'tp' ? { tp: v, etp: layout.etp === null ? v : setup.layout.etp } : { pp: v };
      if (tryIt(`${key.toUpperCase()} ${v}`, { changes: [{ key, value: v }] }, withLayout(setup, change))) break;
    }
  }
  const smaller = candidates(layout, 'mbs').filter((v): v is number => typeof v === 'number' && v < setup.batch.micro).reverse();
  for (const v of acceptedValues(layout, 'mbs', settings, smaller) as Generator<number>) if (tryIt(`micro_batch_size ${v}`, { changes: [{ key: 'mbs', value: v }] }, withLayout(setup, {}, v))) break;
  // Changes that leave room (below the near-limit share) first.
  const roomy = (r: Relief) => r.peakBytes <= NEAR_LIMIT * setup.gpu.usableBytes;
  return [...out.filter(roomy), ...out.filter((r) => !roomy(r))];
}

export function diagnoseMemory(plans: readonly Plan[], memory: readonly PlanMemory[], settings: RuleSettings): Finding[] {
  const findings: Finding[] = [];
  plans.forEach((plan, i) => {
    const m = memory[i];
    if (!m?.setup || !m.estimate) return;
    for (const rule of MEMORY_RULES) {
      const v = rule.check({ plan, memory: m, setup: m.setup, estimate: m.estimate });
      if (!v) continue;
      const fp8At = rule === fp8WithoutGpuSupport ? locate(plan.fp8.format.prov) : null;
      // A Bridge job's world is only stated in a comment: the squiggle belongs on the config's lines.
      const fields = plan.framework === 'megatron-bridge' ? v.fields.filter((f) => f !== 'nodes' && f !== 'gpusPerNode' && f !== 'world') : v.fields;
      const where = fp8At ? { range: fp8At, related: [] } : locateFields(plan, fields, ['mbs', 'tp', 'pp', 'recomputeGranularity', 'distributedOptimizer']);
      const related = [...where.related];
      if (m.gpu.from.kind === 'directive') related.unshift({ range: m.gpu.from.range, message: `the GPU: ${m.gpu.gpu.name}` });
      const found = v.limitBytes !== undefined ? reliefs(plan, m.setup, v.limitBytes, settings) : [];
      const hint = found.length ? `; it fits with ${found.map((r) => `${r.label} (${gib(r.peakBytes)} GiB)`).join(', or ')}` : '';
      findings.push({
        plan,
        candidates: found.map((r) => r.candidate),
        diagnostic: { code: rule.code, name: rule.name, severity: rule.severity, message: v.message + hint, range: where.range, related, fixes: [] },
      });
    }
  });
  return findings;
}
