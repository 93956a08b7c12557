// The human-readable report of `recipe-lens check`.
import type { Field, Plan } from '../plan/plan';
import type { Diagnostic } from '../rules/diagnostic';
import { memoryLine } from '../memory/format';
import type { PlanMemory } from '../memory/fromPlan';
import { bridgeLine } from '../analysis/hover';
import { PLAIN, type Palette } from './colour';

/** `path:line:col: RL101 [error] message`, then the fixes, as ruff prints them. */
export function diagnosticText(path: string, d: Diagnostic, paint: Palette = PLAIN): string[] {
  const out = [`${paint.path(path)}:${d.range.start.line + 1}:${d.range.start.character + 1}: ${paint.code(d.code)} [${paint.severity(d.severity, d.severity)}] ${d.message}`];
  for (const r of d.related) out.push(`    note (line ${r.range.start.line + 1}): ${r.message}`);
  for (const f of d.fixes) out.push(`    fix${f.preferred ? ' (preferred)' : ''}: ${f.title}`);
  return out;
}

const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;

/**
 * The last line, as ruff ends its report: `Found 6 errors (4 fixable with the editor's quick
 * fixes).` or `All checks passed!`, and how many files could not be read or analysed.
 */
export function summary(diagnostics: readonly Diagnostic[], unreadableFiles: number, failedFiles = 0): string {
  const unreadable =
    (unreadableFiles ? ` ${plural(unreadableFiles, 'file')} could not be read.` : '') +
    (failedFiles ? ` ${plural(failedFiles, 'file')} could not be analysed because of an internal error.` : '');
  if (diagnostics.length === 0) return unreadable ? `No problems found in the files analysed;${unreadable}` : 'All checks passed!';
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = diagnostics.filter((d) => d.severity === 'warning').length;
  const notes = diagnostics.length - errors - warnings;
  const counts = [plural(errors, 'error'), plural(warnings, 'warning'), plural(notes, 'note')].filter((c) => !c.startsWith('0 '));
  const found = counts.length > 1 ? `${counts.slice(0, -1).join(', ')} and ${counts[counts.length - 1]}` : counts[0];
  const fixable = diagnostics.filter((d) => d.fixes.length > 0).length;
  return `Found ${found}${fixable ? ` (${fixable} fixable with the editor's quick fixes)` : ''}.${unreadable}`;
}

function v<T>(f: Field<T>, none = 'None'): string {
  if (f.unknown !== undefined) return '?';
  if (f.value === null) return none;
  if (typeof f.value === 'boolean') return f.value ? 'on' : 'off';
  return String(f.value);
}

function billions(f: Field<number>): string {
  return f.value === null ? '? parameters' : `${(f.value / 1e9).toFixed(2)}B parameters`;
}

export function planText(plan: Plan, index: number, memory?: PlanMemory): string[] {
  const p = plan.parallelism;
  const m = plan.model;
  const out: string[] = [];
  const launched = plan.launchedBy && plan.launchedBy !== plan.origin ? `, launched by ${plan.launchedBy}${plan.executor ? ` with ${plan.executor}` : ''}` : '';
  out.push(`  plan ${index + 1} (line ${plan.range.start.line + 1}): ${plan.origin}${launched}`);
  if (plan.bridge) out.push(`    bridge     ${bridgeLine(plan.bridge)}`);
  const w = plan.world;
  const ew = plan.executorWorld;
  out.push(`    world      ${v(w.nodes)} node${w.nodes.value === 1 ? '' : 's'} x ${v(w.gpusPerNode)} GPUs = ${v(w.size)}${ew ? `   (executor: ${v(ew.nodes)} x ${v(ew.gpusPerNode)} = ${v(ew.size)})` : ''}`);
  out.push(`    layout     TP ${v(p.tp)} · PP ${v(p.pp)} · VP ${v(p.vp, '-')} · CP ${v(p.cp)} · EP ${v(p.ep)} · ETP ${v(p.etp, '=TP')} · DP ${v(p.dp)} · SP ${v(p.sequenceParallel)}`);
  out.push(`    batch      global ${v(plan.batch.global)} · micro ${v(plan.batch.micro)} · seq ${v(plan.batch.seqLength)}`);
  const moe = m.numMoeExperts.value ? `, ${m.numMoeExperts.value} experts (top-${v(m.moeRouterTopk)})` : '';
  out.push(`    model      ${v(m.name, '?')}: ${v(m.numLayers)} layers, hidden ${v(m.hiddenSize)}, ${v(m.numAttentionHeads)} heads (${v(m.numQueryGroups)} groups)${moe}, ${billions(m.parameters)}`);
  const fp8 = plan.fp8.format.value ? ` · fp8 ${plan.fp8.format.value}/${v(plan.fp8.recipe)}` : '';
  out.push(`    precision  ${v(plan.precision)}${fp8} · distributed optimizer ${v(plan.optimizer.distributed)} · fp32 grad reduce ${v(plan.optimizer.gradReduceInFp32)}`);
  out.push(`    recompute  ${recomputeText(plan.recompute)}`);
  if (plan.peft) out.push(`    peft       ${v(plan.peft.scheme)} dim ${v(plan.peft.dim)} alpha ${v(plan.peft.alpha)}`);
  if (memory) out.push(`    memory     ${memoryLine(memory)}`);
  const unknowns = collectUnknowns(plan);
  for (const [field, reason] of unknowns.slice(0, 8)) out.push(`    unknown    ${field}: ${reason}`);
  if (unknowns.length > 8) out.push(`    unknown    ... and ${unknowns.length - 8} more (see --format json)`);
  return out;
}

function recomputeText(r: Plan['recompute']): string {
  if (r.granularity.unknown !== undefined) return '?';
  if (r.granularity.value === null) return 'off';
  if (r.granularity.value === 'full') return `full, ${v(r.method)}, ${v(r.numLayers)} layers`;
  if (r.granularity.value === 'selective' && r.modules.value) return `selective (${r.modules.value.join(', ')})`;
  return r.granularity.value;
}

/** The unknown fields a reader cares about first: world, layout, batch. */
function collectUnknowns(plan: Plan): [string, string][] {
  const out: [string, string][] = [];
  const groups: [string, object | null][] = [
    ['world', plan.world],
    ['parallelism', plan.parallelism],
    ['batch', plan.batch],
    ['model', plan.model],
  ];
  for (const [name, g] of groups) {
    if (!g) continue;
    for (const [k, f] of Object.entries(g)) if ((f as Field<unknown>).unknown !== undefined) out.push([`${name}.${k}`, (f as Field<unknown>).unknown!]);
  }
  return out;
}
