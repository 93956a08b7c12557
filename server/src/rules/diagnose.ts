// From plans to diagnostics: which rules fire, where to point (the line the user must change),
// the other lines involved, what values would be accepted, and the changes a fix would make.
import type { Provenance } from '../evaluate/values';
import type { Range } from '../parse/positions';
import type { Field, Plan } from '../plan/plan';
import { acceptedAround, checkLayout, type RuleViolation, type SearchConstraints } from './check';
import type { Diagnostic, RelatedInformation } from './diagnostic';
import { FIELDS, titleOf, type ChangeKey } from './fields';
import { layoutOf, type Layout, type LayoutKey } from './layout';
import type { RuleSettings } from './rule';

/** A change a fix would make to one field; fixes/edits.ts turns it into text edits. */
export interface FieldChange {
  key: ChangeKey;
  value: number | boolean | string | null;
}

/** One candidate fix: the fields it changes together, and its title when "Set X to v" does not say it. */
export interface Candidate {
  changes: FieldChange[];
  title?: string;
}

export interface Finding {
  diagnostic: Diagnostic;
  plan: Plan;
  /** Candidate fixes, best first; each is proven at the layout level, then by re-analysis. */
  candidates: Candidate[];
}

const USER_WRITTEN = new Set<Provenance['source']>(['literal', 'argparse-default', 'environment-default', 'directive', 'derived']);

/** Where a value is set: the assignment or keyword that stored it, else where it is written. */
export function locate(prov: Provenance | null): Range | null {
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

/**
 * The findings of the layout rules. `fits`, when given for a plan, says whether a changed layout
 * of it fits in memory: the values messages and fixes offer must.
 */
export function diagnosePlans(plans: readonly Plan[], settings: RuleSettings, fits?: (plan: Plan) => ((layout: Layout) => boolean) | undefined): Finding[] {
  const findings: Finding[] = [];
  for (const plan of plans) {
    const layout = layoutOf(plan);
    const violations = checkLayout(layout, settings);
    if (!violations.length) continue;
    const planFits = fits?.(plan);
    for (const v of violations) findings.push(diagnose(plan, layout, v, settings, planFits));
  }
  return findings;
}

/**
 * Where a diagnostic about `fields` points, and the other lines involved: the user's own value
 * that was written last (what they are typing), preferring those a fix may change; else the first
 * field's source (a recipe factory call for recipe defaults); else the job.
 */
export function locateFields(plan: Plan, fields: readonly LayoutKey[], fixable: readonly LayoutKey[], relatesToExecutor = false): { key: LayoutKey; range: Range; related: RelatedInformation[] } {
  const involved = fields.map((key) => ({ key, field: FIELDS[key].read(plan) as Field<unknown> }));
  const latestUserValue = (onlyFixable: boolean) => {
    let best: { key: LayoutKey; range: Range } | undefined;
    for (const { key, field } of involved) {
      const range = locate(field.prov);
      if (!range || !field.prov || !USER_WRITTEN.has(field.prov.source) || (onlyFixable && !fixable.includes(key))) continue;
      if (!best || after(range, best.range)) best = { key, range };
    }
    return best;
  };
  let primary = latestUserValue(true) ?? latestUserValue(false);
  if (!primary) {
    const first = involved.map(({ key, field }) => ({ key, range: locate(field.prov) })).find((x) => x.range);
    primary = first?.range ? { key: first.key, range: first.range } : { key: fields[0] ?? 'tp', range: plan.range };
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
  if (relatesToExecutor && plan.executorWorld) {
    for (const [name, field] of [['nodes', plan.executorWorld.nodes], ['processes per node', plan.executorWorld.gpusPerNode]] as const) {
      const range = locate(field.prov);
      if (range && field.value !== null) related.push({ range, message: `the executor's ${name}: ${show(field.value)}` });
    }
  }
  return { key: primary.key, range: primary.range, related };
}

/** A message lists every accepted value of a field when there are at most this many. */
const LISTED = 8;

function diagnose(plan: Plan, layout: Layout, { rule, violation, severity }: RuleViolation, settings: RuleSettings, fits: ((layout: Layout) => boolean) | undefined): Finding {
  const primary = locateFields(plan, violation.fields, violation.fixable, violation.relatesToExecutor);
  const related = primary.related;
  // What would be accepted: the values of the fixable fields with which every rule passes. The
  // message names the accepted values of one field (the one pointed at, when it has some) and
  // the node counts that work; fixes try the nearest values of each field.
  const candidates: Candidate[] = [];
  // A warning's fix must make the warning itself go away too.
  const also: SearchConstraints = { fixing: severity === 'error' ? undefined : rule, fits };
  let valuesHint: string | undefined;
  let nodesHint: string | undefined;
  const order = [...violation.fixable].sort((a, b) => Number(b === primary.key) - Number(a === primary.key));
  for (const key of order) {
    if (layout[key] === undefined) continue;
    // Up to LISTED accepted values are listed, only for the first field with some; the others,
    // and node counts, need only the nearest.
    const listing = key !== 'nodes' && !valuesHint;
    const { all: accepted, nearest } = acceptedAround(layout, key, settings, also, listing ? LISTED : 0);
    if (key === 'nodes') {
      const nodes = nearest.filter((n): n is number => typeof n === 'number');
      if (nodes.length) nodesHint = `or use ${nodes.join(' or ')} node${nodes.length === 1 && nodes[0] === 1 ? '' : 's'}`;
    } else {
      if (listing && (accepted === undefined || accepted.length > 0)) {
        // "the TP values", but "the values of the model's seq_length".
        const name = FIELDS[key].title ? titleOf(key, plan) : FIELDS[key].label;
        const values = (plural: boolean) => (name.startsWith('the ') ? `value${plural ? 's' : ''} of ${name}` : `${name} value${plural ? 's' : ''}`);
        if (accepted?.length === 1) valuesHint = `the only ${values(false)} every rule accepts here is ${show(accepted[0])}`;
        else if (accepted) valuesHint = `the ${values(true)} every rule accepts here are ${list(accepted)}`;
        else valuesHint = `the nearest ${values(true)} every rule accepts are ${list(nearest)}`;
      }
    }
    // The search assumes an executor sized like the trainer follows a change of node count: so does the fix.
    const follows = key === 'nodes' && layout.executor?.nodes === layout.nodes;
    for (const value of nearest) {
      candidates.push(follows ? { changes: [{ key, value }, { key: 'executorNodes', value }], title: `Set num_nodes and the executor's nodes to ${value}` } : { changes: [{ key, value }] });
    }
  }
  const hints = [valuesHint, nodesHint].filter((h): h is string => h !== undefined);
  const message = hints.length ? `${violation.message}; ${hints.join('; ')}` : violation.message;
  return {
    plan,
    candidates,
    diagnostic: { code: rule.code, name: rule.name, severity, message, range: primary.range, related, fixes: [] },
  };
}
