// Running the rules on a layout, and finding the values of a field that every rule accepts.
import type { Layout, LayoutKey } from './layout';
import { dpOf, pos, worldOf } from './layout';
import { RULES } from './registry';
import type { Rule, RuleSettings, Severity, Violation } from './rule';

export interface RuleViolation {
  rule: Rule;
  violation: Violation;
  severity: Severity;
}

export function checkLayout(layout: Layout, settings: RuleSettings): RuleViolation[] {
  const out: RuleViolation[] = [];
  for (const rule of RULES) {
    const violation = rule.check(layout, settings);
    if (violation) out.push({ rule, violation, severity: violation.severity ?? rule.severity });
  }
  return out;
}

/** What else a searched value must satisfy besides the error rules. */
export interface SearchConstraints {
  /** The rule being fixed, which must pass too even when it is only a warning. */
  fixing?: Rule;
  /** The job must fit in the GPU's memory (false when the estimate proves it does not). */
  fits?: (layout: Layout) => boolean;
}

/** Does every error-severity rule accept the layout, and does it meet the constraints? */
export function acceptable(layout: Layout, settings: RuleSettings, also: SearchConstraints = {}): boolean {
  for (const rule of RULES) {
    const v = rule.check(layout, settings);
    if (v && (rule === also.fixing || (v.severity ?? rule.severity) === 'error')) return false;
  }
  return !also.fits || also.fits(layout);
}

/**
 * The most values a search tries for a field: a huge batch or expert count (a typo such as
 * `global_batch_size = 10**9 + 1`) must not list billions of candidates.
 */
const MAX_CANDIDATES = 4096;

/** The values a search tries for a field, around its current value. */
export function candidates(layout: Layout, key: LayoutKey): (number | boolean | null)[] {
  const value = layout[key];
  const current = typeof value === 'number' ? value : undefined;
  const w = worldOf(layout);
  switch (key) {
    case 'tp':
    case 'pp':
    case 'cp':
    case 'ep':
    case 'etp':
      return range(1, Math.min(w ?? 64, 1024));
    case 'vp':
      return [null, ...range(2, Math.min(pos(layout.layers) ? layout.layers : 16, 64))];
    case 'sp':
    case 'accountEmbedding':
    case 'accountLoss':
    case 'preSoftmax':
      return [false, true];
    case 'topk':
      return pos(layout.experts) ? range(1, layout.experts) : [];
    case 'routerGroups':
      return pos(layout.experts) ? range(1, layout.experts) : [];
    case 'vpGroup': {
      const dp = dpOf(layout);
      const m = dp !== undefined && pos(layout.gbs) && pos(layout.mbs) ? layout.gbs / (layout.mbs * dp) : undefined;
      return [null, ...(m !== undefined && Number.isInteger(m) ? range(1, m) : [])];
    }
    case 'modelSeq':
      return pos(layout.seq) ? [layout.seq] : [];
    case 'nodes':
      return range(1, Math.max(8 * (pos(current) ? current : 1), 64));
    case 'gpusPerNode':
      return range(1, 16);
    case 'gbs': {
      // Only multiples of micro batch x DP can be accepted.
      if (!pos(current)) return [];
      const dp = dpOf(layout);
      const q = pos(layout.mbs) && dp !== undefined ? layout.mbs * dp : 1;
      const near = Math.floor(current / q) * q;
      return multiples(q, Math.max(q, near - (MAX_CANDIDATES / 2) * q), Math.min(current + Math.max(4 * current, 16 * q), near + (MAX_CANDIDATES / 2) * q));
    }
    case 'seq': {
      if (!pos(current)) return [];
      const cp = pos(layout.cp) ? layout.cp : 1;
      const q = lcm(cp > 1 ? 2 * cp : 1, layout.sp && pos(layout.tp) ? cp * layout.tp : 1);
      return multiples(q, Math.max(q, current - 8192), current + 8192);
    }
    case 'mbs':
      return range(1, Math.max(16, pos(current) ? current * 2 : 16));
    case 'firstStage':
    case 'lastStage':
      return [null, ...range(1, pos(layout.layers) ? layout.layers : 1)];
    default:
      return [];
  }
}

function multiples(q: number, from: number, to: number): number[] {
  const out: number[] = [];
  for (let v = Math.ceil(from / q) * q; v <= to; v += q) out.push(v);
  return out;
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

function lcm(a: number, b: number): number {
  return (a / gcd(a, b)) * b;
}

/** The integers from `from` to `to`, at most MAX_CANDIDATES of them. */
function range(from: number, to: number): number[] {
  const out: number[] = [];
  for (let i = from; i <= Math.min(to, from + MAX_CANDIDATES - 1); i++) out.push(i);
  return out;
}

/**
 * The layout with one field changed. An executor sized like the trainer is assumed to follow a
 * change of nodes or GPUs per node (the user changes both).
 */
function withValue(layout: Layout, key: LayoutKey, value: number | boolean | null): Layout {
  const changed: Layout = { ...layout, [key]: value };
  const e = layout.executor;
  if (e && key === 'nodes' && e.nodes === layout.nodes) changed.executor = { ...e, nodes: value as number };
  if (e && key === 'gpusPerNode' && e.perNode === layout.gpusPerNode) changed.executor = { ...e, perNode: value as number };
  return changed;
}

/**
 * The values of `key` that every error rule accepts (with the constraints), in the order given
 * (by default the order candidates are listed in), checked one at a time as they are taken: a
 * caller that stops at the first one it can use checks no more.
 */
export function* acceptedValues(layout: Layout, key: LayoutKey, settings: RuleSettings, order: readonly (number | boolean | null)[] = candidates(layout, key)): Generator<number | boolean | null> {
  for (const c of order) if (acceptable(withValue(layout, key, c), settings, {})) yield c;
}

/** The accepted values of a field around its current value: all of them when few, and the nearest. */
export interface AcceptedAround {
  /** Every accepted value, in the order candidates are listed, when there are at most `limit`. */
  all?: (number | boolean | null)[];
  /** As `nearestOf` picks them: the closest below and above the current value, and None. */
  nearest: (number | boolean | null)[];
}

/**
 * The accepted values of `key`, found by trying candidates outward from the current value, nearest
 * first, and stopping once more than `limit` are accepted and the nearest on each side is known: a
 * sequence length has thousands of candidates and a node count dozens, and the nearest usually pass.
 */
export function acceptedAround(layout: Layout, key: LayoutKey, settings: RuleSettings, also: SearchConstraints, limit: number): AcceptedAround {
  const current = layout[key];
  const candidateList = candidates(layout, key);
  const ok = (c: number | boolean | null) => acceptable(withValue(layout, key, c), settings, also);
  if (typeof current !== 'number') {
    const all = candidateList.filter(ok);
    return { all, nearest: nearestOf(current, all) };
  }
  const none = candidateList.includes(null) && ok(null);
  const numbers = candidateList.filter((c): c is number => typeof c === 'number');
  // Candidates are listed in ascending order; sorting anyway copied every list (of up to 4,096).
  if (!ascending(numbers)) numbers.sort((x, y) => x - y);
  const accepted = new Set<number>();
  let count = none ? 1 : 0;
  if (numbers.includes(current) && ok(current)) {
    accepted.add(current);
    count++;
  }
  let below: number | undefined;
  let above: number | undefined;
  let up = numbers.findIndex((n) => n > current);
  if (up < 0) up = numbers.length;
  let down = numbers[up - 1] === current ? up - 2 : up - 1;
  while (down >= 0 || up < numbers.length) {
    if (count > limit && (below !== undefined || down < 0) && (above !== undefined || up >= numbers.length)) {
      return { nearest: [...(below !== undefined ? [below] : []), ...(above !== undefined ? [above] : []), ...(none ? [null] : [])] };
    }
    const goDown = down >= 0 && (up >= numbers.length || current - numbers[down]! <= numbers[up]! - current);
    const value = goDown ? numbers[down--]! : numbers[up++]!;
    if (!ok(value)) continue;
    accepted.add(value);
    count++;
    if (goDown) below ??= value;
    else above ??= value;
  }
  const all = candidateList.filter((c) => (c === null ? none : typeof c === 'number' && accepted.has(c)));
  return { all: count <= limit ? all : undefined, nearest: nearestOf(current, all) };
}

function ascending(xs: readonly number[]): boolean {
  for (let i = 1; i < xs.length; i++) if (xs[i - 1]! > xs[i]!) return false;
  return true;
}

/** Of the accepted values of a field, the closest below and above `current` (or the first two). */
export function nearestOf(current: Layout[LayoutKey], acceptedValues: readonly (number | boolean | null)[]): (number | boolean | null)[] {
  const accepted = acceptedValues.filter((v) => v !== current);
  if (typeof current !== 'number') return accepted.slice(0, 2);
  const below = accepted.filter((v): v is number => typeof v === 'number' && v < current).pop();
  const above = accepted.find((v): v is number => typeof v === 'number' && v > current);
  const none = accepted.includes(null) ? [null] : [];
  return [...(below !== undefined ? [below] : []), ...(above !== undefined ? [above] : []), ...none];
}
