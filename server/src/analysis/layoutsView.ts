// "Explore layouts", independent of LSP: the ranked layouts of one job, each with the text edits
// that apply it, proven like every fix: applied and re-analysed, the job has no error left and no
// new error appears anywhere.
import type { Parser } from 'web-tree-sitter';
import { FIELDS } from '../rules/fields';
import type { TextEdit } from '../rules/diagnostic';
import { searchLayouts, type SearchOptions } from '../search/search';
import { analyzeText, type Analysis, type AnalysisOptions } from './analyze';
import { counts, editsForChanges, pythonValue } from './fixes';
import { layoutTitle } from './layoutFix';
import { applyEdits } from '../fixes/edits';
import { DEFAULT_RULE_SETTINGS } from '../rules/rule';

export interface LayoutRow {
  title: string;
  /** Seconds per step, for ranking, and whether the layout leaves headroom (at most 90% of the GPU). */
  stepSeconds: number;
  roomy: boolean;
  /** What changes, e.g. "pipeline_model_parallel_size=4 virtual_pipeline_model_parallel_size=5". */
  changes: string;
  edits: TextEdit[];
}

export function layoutRows(parser: Parser, text: string, analysis: Analysis, job: number, options: AnalysisOptions, search: SearchOptions): LayoutRow[] | string {
  const plan = analysis.plans[job];
  const memory = analysis.memory[job];
  if (!plan || !memory) return 'no such job in this file';
  const result = searchLayouts(plan, memory, options.rules ?? DEFAULT_RULE_SETTINGS, search);
  if ('unknown' in result) return result.unknown;
  const errorsBefore = counts(analysis.diagnostics, true);
  const rows: LayoutRow[] = [];
  for (const l of result.layouts) {
    if (l.changes.length === 0) {
      rows.push({ title: `${layoutTitle(l)}: the current layout`, stepSeconds: l.step.seconds, roomy: l.roomy, changes: '', edits: [] });
      continue;
    }
    const edits = editsForChanges(plan, l.changes, text);
    if (!edits) continue;
    const after = analyzeText(parser, applyEdits(text, edits), { ...options, verifyFixes: false });
    const clean = after.plans.length === analysis.plans.length && !after.diagnostics.some((d) => d.severity === 'error' && (d.plan === job || (counts(after.diagnostics, true).get(d.code) ?? 0) > (errorsBefore.get(d.code) ?? 0)));
    if (!clean) continue;
    rows.push({ title: layoutTitle(l), stepSeconds: l.step.seconds, roomy: l.roomy, changes: l.changes.map((c) => `${FIELDS[c.key].python}=${pythonValue(c.value)}`).join(' '), edits });
  }
  return rows;
}
