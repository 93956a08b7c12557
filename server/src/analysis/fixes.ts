// Fixes offered with a diagnostic: each candidate change becomes text edits, and, unless
// verification is off, is proven by re-analysing the fixed text: the diagnostic must be gone and
// no error may appear that was not there before. A fix that cannot be proven is not offered.
import { applyEdits, editsFor } from '../fixes/edits';
import type { Analysis } from './analyze';
import type { Candidate, FieldChange, Finding } from '../rules/diagnose';
import type { Plan } from '../plan/plan';
import type { Diagnostic, Fix, TextEdit } from '../rules/diagnostic';
import { titleOf } from '../rules/fields';
import { comparePositions } from '../parse/positions';

/** Candidate changes tried per diagnostic (each costs a re-analysis). */
const MAX_CANDIDATES = 4;

/** Diagnostics by code: errors only, or all. */
export function counts(diagnostics: readonly Diagnostic[], errorsOnly: boolean): Map<string, number> {
  const out = new Map<string, number>();
  for (const d of diagnostics) if (!errorsOnly || d.severity === 'error') out.set(d.code, (out.get(d.code) ?? 0) + 1);
  return out;
}

/** A value as Python writes it: None, True, "full", 8. */
export function pythonValue(value: number | boolean | string | null): string {
  return value === null ? 'None' : typeof value === 'boolean' ? (value ? 'True' : 'False') : typeof value === 'string' ? `"${value}"` : String(value);
}

export interface Counts {
  errors: Map<string, number>;
  all: Map<string, number>;
  plans: number;
  problems: number;
  /** `code@job` of every error, and `code message`: what a fix may leave without adding an error. */
  errorKeys: Set<string>;
}

export function countsOf(analysis: Pick<Analysis, 'diagnostics' | 'plans' | 'problems'>): Counts {
  const errorKeys = new Set<string>();
  for (const d of analysis.diagnostics) if (d.severity === 'error') errorKeys.add(jobKey(d)).add(messageKey(d));
  return { errors: counts(analysis.diagnostics, true), all: counts(analysis.diagnostics, false), plans: analysis.plans.length, problems: analysis.problems.length, errorKeys };
}

const jobKey = (d: Diagnostic) => `${d.code}@${d.plan ?? '?'}`;
const messageKey = (d: Diagnostic) => `${d.code} ${d.message}`;

/**
 * An error the fixed text has that the original had not, in that job or with that message. Jobs
 * made in a loop share its lines, so a fix for one (a line inserted in the loop's body) changes
 * the others too: fewer errors of a code in all may still be a new one in another job.
 */
function addsError(after: readonly Diagnostic[], before: Counts): boolean {
  return after.some((d) => d.severity === 'error' && !before.errorKeys.has(messageKey(d)) && (d.plan === undefined || !before.errorKeys.has(jobKey(d))));
}

/**
 * Text edits that make all of a plan's field changes, or undefined when one of them has none or
 * two of them would rewrite the same text differently. Two fields read from one literal (the
 * trainer's and the executor's nodes from one argparse default) give the same edit twice: it is
 * made once (clients refuse overlapping edits, and applied twice it would garble the line).
 */
export function editsForChanges(plan: Plan, changes: readonly FieldChange[], text: string): TextEdit[] | undefined {
  const all: TextEdit[] = [];
  for (const change of changes) {
    const edits = editsFor(change, plan, text);
    if (!edits) return undefined;
    all.push(...edits);
  }
  // Most fixes are one edit: nothing to deduplicate, order or check for overlap.
  if (all.length <= 1) return mergeInsertions(all);
  const keys = all.map((e) => JSON.stringify([e.range, e.newText]));
  const unique = all.filter((_, i) => keys.indexOf(keys[i]!) === i);
  const merged = mergeInsertions(unique);
  const sorted = [...merged].sort((a, b) => comparePositions(a.range.start, b.range.start) || comparePositions(a.range.end, b.range.end));
  if (sorted.some((e, i) => i > 0 && comparePositions(sorted[i - 1]!.range.end, e.range.start) > 0)) return undefined;
  return merged;
}

/** A candidate as a fix, not yet proven. */
export function candidateFix(plan: Plan, candidate: Candidate, text: string): Fix | undefined {
  const edits = editsForChanges(plan, candidate.changes, text);
  if (!edits) return undefined;
  const title = candidate.title ?? `Set ${candidate.changes.map((change) => `${titleOf(change.key, plan)} to ${pythonValue(change.value)}`).join(', ')}`;
  return { title, edits, preferred: false };
}

/** The candidate fixes of a finding as text edits, not yet proven; a candidate any of whose changes has no edit is dropped. */
export function candidateFixes(finding: Finding, text: string): Fix[] {
  return finding.candidates
    .slice(0, MAX_CANDIDATES)
    .map((c) => candidateFix(finding.plan, c, text))
    .filter((f): f is Fix => f !== undefined);
}

/** Insertions at the same position become one, in order (applied separately they would come out reversed). */
function mergeInsertions(edits: TextEdit[]): TextEdit[] {
  const isInsertion = (e: TextEdit) => e.range.start.line === e.range.end.line && e.range.start.character === e.range.end.character;
  const out: TextEdit[] = [];
  for (const e of edits) {
    const same = isInsertion(e) && out.find((o) => isInsertion(o) && o.range.start.line === e.range.start.line && o.range.start.character === e.range.start.character);
    if (same) same.newText += e.newText;
    else out.push({ ...e });
  }
  return out;
}

/**
 * The fixes that re-analysis proves: applied to `text`, each removes one diagnostic of `code`,
 * adds no error of any code, and keeps every job and adds no run-time problem (a fix must not
 * make a diagnostic vanish by breaking the recipe). `before` describes the unfixed text. The
 * first proven fix is preferred.
 */
export function provenFixes(fixes: readonly Fix[], code: string, text: string, before: Counts, reanalyse: (text: string) => Pick<Analysis, 'diagnostics' | 'plans' | 'problems'>): Fix[] {
  const out: Fix[] = [];
  for (const fix of fixes) {
    const after = reanalyse(applyEdits(text, fix.edits));
    const gone = (counts(after.diagnostics, false).get(code) ?? 0) < (before.all.get(code) ?? 0);
    const newError = [...counts(after.diagnostics, true)].some(([c, n]) => n > (before.errors.get(c) ?? 0)) || addsError(after.diagnostics, before);
    // Every job survives (a fixed call may add one) and no new run-time problem appears.
    const intact = after.plans.length >= before.plans && after.problems.length <= before.problems;
    if (gone && !newError && intact) out.push({ ...fix, preferred: out.length === 0 });
  }
  return out;
}
