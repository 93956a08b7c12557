// Fixes offered with a diagnostic: each candidate change becomes text edits, and, unless
// verification is off, is proven by re-analysing the fixed text: the diagnostic must be gone and
// no error may appear that was not there before. A fix that cannot be proven is not offered.
import { applyEdits, editsFor } from '../fixes/edits';
import type { Finding } from '../rules/diagnose';
import type { Diagnostic, Fix } from '../rules/diagnostic';
import { FIELDS } from '../rules/fields';

/** Candidate changes tried per diagnostic (each costs a re-analysis). */
const MAX_CANDIDATES = 4;

/** Diagnostics by code: errors only, or all. */
export function counts(diagnostics: readonly Diagnostic[], errorsOnly: boolean): Map<string, number> {
  const out = new Map<string, number>();
  for (const d of diagnostics) if (!errorsOnly || d.severity === 'error') out.set(d.code, (out.get(d.code) ?? 0) + 1);
  return out;
}

function show(value: number | boolean | null): string {
  return value === null ? 'None' : typeof value === 'boolean' ? (value ? 'True' : 'False') : String(value);
}

export interface Counts {
  errors: Map<string, number>;
  all: Map<string, number>;
}

export function countsOf(diagnostics: readonly Diagnostic[]): Counts {
  return { errors: counts(diagnostics, true), all: counts(diagnostics, false) };
}

/** The candidate fixes of a finding: text edits for its nearest accepted values, not yet proven. */
export function candidateFixes(finding: Finding, text: string): Fix[] {
  const fixes: Fix[] = [];
  for (const change of finding.changes.slice(0, MAX_CANDIDATES)) {
    const edits = editsFor(change, finding.plan, text);
    if (edits) fixes.push({ title: `Set ${FIELDS[change.key].python} to ${show(change.value)}`, edits, preferred: false });
  }
  return fixes;
}

/**
 * The fixes that re-analysis proves: applied to `text`, each removes one diagnostic of `code` and
 * adds no error of any code (`before` counts the unfixed text). The first proven is preferred.
 */
export function provenFixes(fixes: readonly Fix[], code: string, text: string, before: Counts, reanalyse: (text: string) => { diagnostics: Diagnostic[] }): Fix[] {
  const out: Fix[] = [];
  for (const fix of fixes) {
    const after = reanalyse(applyEdits(text, fix.edits)).diagnostics;
    const gone = (counts(after, false).get(code) ?? 0) < (before.all.get(code) ?? 0);
    const newError = [...counts(after, true)].some(([c, n]) => n > (before.errors.get(c) ?? 0));
    if (gone && !newError) out.push({ ...fix, preferred: out.length === 0 });
  }
  return out;
}
