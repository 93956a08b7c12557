// The quick fix that rewrites every degree at once: the best layout the search finds on the
// plan's own world (server/src/search/), offered on every layout and memory diagnostic, and, like
// every fix, only once re-analysis proves it.
import { gib } from '../memory/format';
import type { PlanMemory } from '../memory/fromPlan';
import type { Plan } from '../plan/plan';
import type { Candidate } from '../rules/diagnose';
import type { Fix } from '../rules/diagnostic';
import { applyEdits } from '../fixes/edits';
import type { Analysis } from './analyze';
import { candidateFix } from './fixes';
import { MEMORY_RULES } from '../rules/memory/memoryRules';
import { RULES } from '../rules/registry';
import type { RuleSettings } from '../rules/rule';
import { searchLayouts, type RankedLayout } from '../search/search';

/** The codes whose diagnostics get the fix: the layout rules and the memory rules about size. */
export const LAYOUT_FIX_CODES: ReadonlySet<string> = new Set([...RULES.map((r) => r.code), ...MEMORY_RULES.filter((r) => r.code !== 'RL403').map((r) => r.code)]);

/** "TP 8, PP 4, VP 5, CP 1 (DP 2, 62.0 GiB)", with EP and the other changed settings when they matter. */
export function layoutTitle(l: RankedLayout): string {
  const c = l.choice;
  const parts = [`TP ${c.tp}`, `PP ${c.pp}`, `VP ${c.vp ?? '-'}`, `CP ${c.cp}`];
  if (c.ep > 1 || l.changes.some((x) => x.key === 'ep')) parts.push(`EP ${c.ep}`);
  if (l.changes.some((x) => x.key === 'mbs')) parts.push(`micro batch ${c.mbs}`);
  if (l.changes.some((x) => x.key === 'recomputeGranularity')) parts.push(c.recompute === 'none' ? 'no recompute' : `${c.recompute} recompute`);
  if (l.changes.some((x) => x.key === 'distributedOptimizer')) parts.push(c.distributedOptimizer ? 'distributed optimizer' : 'no distributed optimizer');
  return `${parts.join(', ')} (DP ${l.dp}, ${gib(l.estimate.peakBytes)} GiB)`;
}

/**
 * The best layout of a job as a fix, when applying its edits gives the job exactly that layout
 * (re-analysed; the caller still proves it against the diagnostic).
 */
export function bestLayoutFix(plans: readonly Plan[], job: number, memory: PlanMemory | undefined, settings: RuleSettings, text: string, reanalyse: (text: string) => Pick<Analysis, 'plans'>): Fix | undefined {
  const plan = plans[job];
  if (!plan || !memory) return undefined;
  const result = searchLayouts(plan, memory, settings, { top: 1 });
  if ('unknown' in result) return undefined;
  const best = result.layouts[0];
  if (!best || best.changes.length === 0) return undefined;
  const candidate: Candidate = { changes: best.changes, title: `Apply the best valid layout that fits: ${layoutTitle(best)}` };
  const fix = candidateFix(plan, candidate, text);
  if (!fix) return undefined;
  const after = reanalyse(applyEdits(text, fix.edits)).plans[job];
  const c = best.choice;
  const p = after?.parallelism;
  const applied = p && [p.tp.value, p.pp.value, p.vp.value, p.cp.value, p.ep.value, after.batch.micro.value].join() === [c.tp, c.pp, c.vp, c.cp, c.ep, c.mbs].join();
  return applied ? fix : undefined;
}
