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

/**
 * The fixes of one finding. `before` counts the diagnostics of the unfixed text by code; a fix
 * must remove one diagnostic of the finding's code and add no error of any code.
 */
export function verifiedFixes(finding: Finding, text: string, before: { errors: Map<string, number>; all: Map<string, number> }, reanalyse?: (text: string) => { diagnostics: Diagnostic[] }): Fix[] {
  const fixes: Fix[] = [];
  const code = finding.diagnostic.code;
  for (const change of finding.changes.slice(0, MAX_CANDIDATES)) {
    const edits = editsFor(change, finding.plan, text);
    if (!edits) continue;
    if (reanalyse) {
      const after = reanalyse(applyEdits(text, edits)).diagnostics;
      const errors = counts(after, true);
      const gone = (counts(after, false).get(code) ?? 0) < (before.all.get(code) ?? 0);
      const newError = [...errors].some(([c, n]) => n > (before.errors.get(c) ?? 0));
      if (!gone || newError) continue;
    }
    fixes.push({ title: `Set ${FIELDS[change.key].python} to ${show(change.value)}`, edits, preferred: fixes.length === 0 });
  }
  return fixes;
}
