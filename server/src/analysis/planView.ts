// The resolved plans of a file for people, independent of LSP: the Markdown of "Show the Resolved
// Plan" (every value, where it comes from, what is unknown and why, the memory per GPU) and the
// one-line summary of the language status item.
import type { Provenance } from '../evaluate/values';
import { memoryMarkdown, peakOverCapacity } from '../memory/format';
import { FIELD_GROUPS, type Field } from '../plan/plan';
import type { Analysis } from './analyze';
import { layoutLine } from './hover';


function value(f: Field<unknown>): string {
  if (f.unknown !== undefined) return '?';
  if (f.value === null) return 'None';
  if (Array.isArray(f.value)) return `[${f.value.join(', ')}]`;
  return String(f.value);
}

function source(f: Field<unknown>): string {
  if (f.unknown !== undefined) return `unknown: ${f.unknown}`;
  const p: Provenance | null = f.prov;
  if (!p) return '';
  const line = (p.assignedAt ?? p.range)?.start.line;
  return `${p.source}${line !== undefined ? ` (line ${line + 1})` : ''}: ${p.detail}`;
}

/** Markdown cells may not contain pipes or line breaks. */
function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

export function planMarkdown(analysis: Analysis, fileName: string): string {
  const out = [`# Recipe Lens: ${fileName}`, ''];
  if (analysis.skipped) out.push(`Not analysed: ${analysis.skipped}.`);
  else if (analysis.plans.length === 0) out.push('No training job found in this file.');
  analysis.plans.forEach((plan, i) => {
    const launched = plan.launchedBy && plan.launchedBy !== plan.origin ? `, launched by ${plan.launchedBy}${plan.executor ? ` with ${plan.executor}` : ''}` : '';
    out.push(`## Job ${i + 1} (line ${plan.range.start.line + 1}): ${plan.origin}${launched}`, '', layoutLine(plan), '');
    const memory = analysis.memory[i];
    if (memory) out.push(...memoryMarkdown(memory), '');
    out.push('| value | | where it comes from |', '| --- | --- | --- |');
    for (const [group, get] of FIELD_GROUPS) {
      const fields = get(plan);
      if (!fields) continue;
      for (const [name, f] of Object.entries(fields)) out.push(`| \`${group}.${name}\` | ${cell(value(f as Field<unknown>))} | ${cell(source(f as Field<unknown>))} |`);
    }
    out.push('');
  });
  const diagnostics = analysis.diagnostics;
  if (diagnostics.length) {
    out.push('## Diagnostics', '');
    for (const d of diagnostics) out.push(`- line ${d.range.start.line + 1}: **${d.code}** (${d.severity}) ${d.message}`);
  }
  return out.join('\n') + '\n';
}

/** "TP 8 · PP 4 · DP 1 · 71.0/79.6 GiB" for the file's first job, and how many more there are. */
export function statusSummary(analysis: Analysis): { text: string; detail: string; severity: 'information' | 'warning' | 'error' } {
  const severity = analysis.diagnostics.some((d) => d.severity === 'error') ? 'error' : analysis.diagnostics.some((d) => d.severity === 'warning') ? 'warning' : 'information';
  const plan = analysis.plans[0];
  if (!plan) return { text: 'Recipe Lens', detail: analysis.skipped ? `not analysed: ${analysis.skipped}` : 'no training job in this file', severity };
  const p = plan.parallelism;
  const e = analysis.memory[0]?.estimate;
  const text = `TP${value(p.tp)} PP${value(p.pp)} DP${value(p.dp)}${e ? ` · ${peakOverCapacity(e)}` : ''}`;
  const more = analysis.plans.length > 1 ? ` (and ${analysis.plans.length - 1} more job${analysis.plans.length > 2 ? 's' : ''})` : '';
  const problems = analysis.diagnostics.length ? `, ${analysis.diagnostics.length} diagnostic${analysis.diagnostics.length === 1 ? '' : 's'}` : '';
  return { text, detail: `${plan.origin}${more}${problems}`, severity };
}
