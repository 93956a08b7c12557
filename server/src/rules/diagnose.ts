// From plans to diagnostics: which rules fire, where to point (the line the user must change),
// the other lines involved, what values would be accepted, and the changes a fix would make.
import type { Provenance } from '../evaluate/values';
import type { Range } from '../parse/positions';
import type { Field, Plan } from '../plan/plan';
import { acceptedValues, checkLayout, nearestAccepted, type RuleViolation } from './check';
import type { Diagnostic, RelatedInformation } from './diagnostic';
import { FIELDS } from './fields';
import { layoutOf, type Layout, type LayoutKey } from './layout';
import type { RuleSettings } from './rule';

/** A change a fix would make to one field; fixes/edits.ts turns it into text edits. */
export interface FieldChange {
  key: LayoutKey;
  value: number | boolean | null;
}

export interface Finding {
  diagnostic: Diagnostic;
  plan: Plan;
  /** Candidate changes, best first; each is proven at the layout level, then by re-analysis. */
  changes: FieldChange[];
}

const USER_WRITTEN = new Set<Provenance['source']>(['literal', 'argparse-default', 'environment-default', 'derived']);

/** Where a value is set: the assignment or keyword that stored it, else where it is written. */
function locate(prov: Provenance | null): Range | null {
  if (!prov) return null;
  if (prov.source === 'recipe-default' || prov.source === 'class-default') return prov.range;
  return prov.assignedAt ?? prov.range;
}

function after(a: Range, b: Range): boolean {
  return a.start.line > b.start.line || (a.start.line === b.start.line && a.start.character > b.start.character);
}

function show(value: unknown): string {
  if (value === null) return 'None';
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (Array.isArray(value)) return `[${value.join(', ')}]`;
  return String(value);
}

function list(values: (number | boolean | null)[]): string {
  const shown = values.slice(0, 8).map(show);
  const more = values.length > 8 ? ` (and ${values.length - 8} more)` : '';
  if (shown.length <= 1) return shown.join('') + more;
  return `${shown.slice(0, -1).join(', ')} and ${shown[shown.length - 1]}${more}`;
}

export function diagnosePlans(plans: readonly Plan[], settings: RuleSettings): Finding[] {
  const findings: Finding[] = [];
  for (const plan of plans) {
    const layout = layoutOf(plan);
    for (const v of checkLayout(layout, settings)) findings.push(diagnose(plan, layout, v, settings));
  }
  return findings;
}

function diagnose(plan: Plan, layout: Layout, { rule, violation, severity }: RuleViolation, settings: RuleSettings): Finding {
  const involved = violation.fields.map((key) => ({ key, field: FIELDS[key].read(plan) as Field<unknown> }));
  // Point at the user's own value that was written last (what they are typing), preferring those
  // a fix may change; else at the first field's source (a recipe factory call for recipe
  // defaults); else at the job.
  const latestUserValue = (onlyFixable: boolean) => {
    let best: { key: LayoutKey; range: Range } | undefined;
    for (const { key, field } of involved) {
      const range = locate(field.prov);
      if (!range || !field.prov || !USER_WRITTEN.has(field.prov.source) || (onlyFixable && !violation.fixable.includes(key))) continue;
      if (!best || after(range, best.range)) best = { key, range };
    }
    return best;
  };
  let primary = latestUserValue(true) ?? latestUserValue(false);
  if (!primary) {
    const first = involved.map(({ key, field }) => ({ key, range: locate(field.prov) })).find((x) => x.range);
    primary = first?.range ? { key: first.key, range: first.range } : { key: violation.fields[0]!, range: plan.range };
  }
  const related: RelatedInformation[] = [];
  const seen = new Set([`${primary.range.start.line}:${primary.range.start.character}`]);
  for (const { key, field } of involved) {
    const range = locate(field.prov);
    if (!range || field.value === undefined) continue;
    const id = `${range.start.line}:${range.start.character}`;
    if (seen.has(id)) continue;
    seen.add(id);
    // A class default the file never touches, or an option left off (None, False), says
    // nothing about where to look.
    if (field.prov!.source === 'class-default' || field.value === null || field.value === false) continue;
    const where = field.prov!.source === 'literal' ? 'is set here' : `(${field.prov!.detail})`;
    related.push({ range, message: `${FIELDS[key].label} = ${show(field.value)} ${where}` });
  }
  if (violation.relatesToExecutor && plan.executorWorld) {
    for (const [name, field] of [['nodes', plan.executorWorld.nodes], ['processes per node', plan.executorWorld.gpusPerNode]] as const) {
      const range = locate(field.prov);
      if (range && field.value !== null) related.push({ range, message: `the executor's ${name}: ${show(field.value)}` });
    }
  }

  // What would be accepted: the values of the fixable fields with which every rule passes. The
  // message names the accepted values of one field (the one pointed at, when it has some) and
  // the node counts that work; fixes try the nearest values of each field.
  const changes: FieldChange[] = [];
  // A warning's fix must make the warning itself go away too.
  const fixing = severity === 'error' ? undefined : rule;
  let valuesHint: string | undefined;
  let nodesHint: string | undefined;
  const order = [...violation.fixable].sort((a, b) => Number(b === primary!.key) - Number(a === primary!.key));
  for (const key of order) {
    if (layout[key] === undefined) continue;
    if (key === 'nodes') {
      const nodes = nearestAccepted(layout, key, settings, fixing).filter((n): n is number => typeof n === 'number');
      if (nodes.length) nodesHint = `or use ${nodes.join(' or ')} node${nodes.length === 1 && nodes[0] === 1 ? '' : 's'}`;
    } else {
      const accepted = acceptedValues(layout, key, settings, fixing);
      if (!valuesHint && accepted.length > 0) {
        if (accepted.length === 1) valuesHint = `the only ${FIELDS[key].label} value every rule accepts here is ${show(accepted[0])}`;
        else if (accepted.length <= 8) valuesHint = `the ${FIELDS[key].label} values every rule accepts here are ${list(accepted)}`;
        else valuesHint = `the nearest ${FIELDS[key].label} values every rule accepts are ${list(nearestAccepted(layout, key, settings, fixing))}`;
      }
    }
    for (const value of nearestAccepted(layout, key, settings, fixing)) changes.push({ key, value });
  }
  const hints = [valuesHint, nodesHint].filter((h): h is string => h !== undefined);
  const message = hints.length ? `${violation.message}; ${hints.join('; ')}` : violation.message;
  return {
    plan,
    changes,
    diagnostic: { code: rule.code, name: rule.name, severity, message, range: primary.range, related, fixes: [] },
  };
}
