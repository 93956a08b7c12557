// Values built from JSON-like literals: the tree of configuration objects a recipe factory
// returns (from the catalog), a scenario's changes to it, a class's default.
//
// A recipe's tree is a dozen objects and some seventy values, built at every factory call. Built
// whole, all of it lived through each scavenge that followed the call: in a script of many jobs,
// the trees were most of what scavenges copied. So an object of a tree makes each attribute when
// it is first read (or iterated over): the script's own overrides reach a few attributes early,
// and the plan reads the rest at the end of the analysis, when few scavenges are left to copy them.
//
// Laziness must not show. An attribute's value is the one the whole tree would have had: the
// literal never changes, and it is made with the tree's provenance, once (later reads get the
// same value). Identity numbers are the ones an eager build would give: the tree takes one per
// object, list and dict in it when it is made, handed out in the order of a walk of the literal,
// so an object made before a branch is below the branch's mark (State.write records and undoes
// the branch's writes to it) wherever its attributes are first made.
import type { State } from './state';
import { bool, float, int, none, str, type Attributes, type Provenance, type Value } from './values';

/** Builds a value from a JSON-like literal (catalog trees, class defaults). */
export function fromLiteral(state: State, x: unknown, prov: Provenance): Value {
  if (x === null || typeof x !== 'object') return scalarOf(x, prov);
  return valueAt(x, state.reserveIds(containers(x)), { prov, none: undefined, yes: undefined, no: undefined });
}

function scalarOf(x: unknown, prov: Provenance): Value {
  if (x === null || x === undefined) return none(prov);
  if (typeof x === 'boolean') return bool(x, prov);
  if (typeof x === 'number') return Number.isInteger(x) ? int(x, prov) : float(x, prov);
  return str(String(x), prov);
}

/**
 * One tree's provenance and the values it shares: its Nones and booleans, about half of a
 * recipe's leaves, are one value each (values never change, and the tree has one provenance,
 * so nothing tells two of them apart).
 */
interface Tree {
  readonly prov: Provenance;
  none: Value | undefined;
  yes: Value | undefined;
  no: Value | undefined;
}

/** The value of a literal whose containers take the identity numbers from `id` on. */
function valueAt(x: unknown, id: number, tree: Tree): Value {
  if (x === null || x === undefined) return (tree.none ??= none(tree.prov));
  if (x === true) return (tree.yes ??= bool(true, tree.prov));
  if (x === false) return (tree.no ??= bool(false, tree.prov));
  if (typeof x !== 'object') return scalarOf(x, tree.prov);
  if (Array.isArray(x)) {
    const items = new Array<Value>(x.length);
    let next = id + 1;
    for (let i = 0; i < x.length; i++) {
      items[i] = valueAt(x[i], next, tree);
      next += containers(x[i]);
    }
    return { kind: 'list', id, items, prov: tree.prov };
  }
  const literal = literalObject(x as Record<string, unknown>);
  if (literal.cls === undefined) {
    const entries = new Map<string, Value>();
    for (let i = 0; i < literal.keys.length; i++) entries.set(literal.keys[i]!, valueAt(literal.values[i], id + literal.offsets[i]!, tree));
    return { kind: 'dict', id, entries, prov: tree.prov };
  }
  return { kind: 'object', id, cls: literal.cls, form: literal.partial ? 'partial' : 'config', attrs: new TreeAttributes(literal, id, tree), prov: tree.prov };
}

/** Stands for an attribute of the literal that was deleted (a branch undone). */
const DELETED: Value = { kind: 'unknown', reason: 'deleted' };

/**
 * The attributes of a tree's object: those of its literal, each made when first read, and those
 * the program set. Iterated in the literal's order, then in the order the others were set.
 */
class TreeAttributes implements Attributes {
  /** What was made or set so far: the literal's attributes read, and every write. */
  private held: Map<string, Value> | undefined = undefined;

  constructor(
    private readonly literal: LiteralObject,
    private readonly id: number,
    private readonly tree: Tree,
  ) {}

  get(name: string): Value | undefined {
    const held = this.held?.get(name);
    if (held !== undefined) return held === DELETED ? undefined : held;
    const i = this.literal.index.get(name);
    if (i === undefined) return undefined;
    const made = valueAt(this.literal.values[i], this.id + this.literal.offsets[i]!, this.tree);
    (this.held ??= new Map()).set(name, made);
    return made;
  }

  set(name: string, value: Value): this {
    (this.held ??= new Map()).set(name, value);
    return this;
  }

  has(name: string): boolean {
    const held = this.held?.get(name);
    return held !== undefined ? held !== DELETED : this.literal.index.has(name);
  }

  delete(name: string): boolean {
    if (!this.has(name)) return false;
    // A literal's attribute, read or not, stays deleted; another was set, so it is held.
    if (this.literal.index.has(name)) (this.held ??= new Map()).set(name, DELETED);
    else this.held!.delete(name);
    return true;
  }

  *entries(): IterableIterator<[string, Value]> {
    for (const name of this.literal.keys) {
      const v = this.get(name);
      if (v !== undefined) yield [name, v];
    }
    if (this.held) for (const [name, v] of this.held) if (v !== DELETED && !this.literal.index.has(name)) yield [name, v];
  }

  *keys(): IterableIterator<string> {
    for (const [name] of this.entries()) yield name;
  }

  *values(): IterableIterator<Value> {
    for (const [, v] of this.entries()) yield v;
  }

  [Symbol.iterator](): IterableIterator<[string, Value]> {
    return this.entries();
  }
}

/**
 * A JSON-like object literal with its entries listed once: recipe trees are built into values at
 * every factory call, and listing a catalog object's keys each time showed in profiles.
 */
interface LiteralObject {
  cls: string | undefined;
  partial: boolean;
  /** The attributes, as two arrays: read by index, with no pair to take apart per entry. */
  keys: string[];
  values: unknown[];
  /** Each attribute's index in `keys`. */
  index: Map<string, number>;
  /** How far past the object's own identity number each attribute's numbers start. */
  offsets: number[];
  /** The identity numbers its value takes: one per object, list and dict in it, itself included. */
  containers: number;
}

const literalObjects = new WeakMap<object, LiteralObject>();
const listContainers = new WeakMap<unknown[], number>();

function literalObject(record: Record<string, unknown>): LiteralObject {
  let o = literalObjects.get(record);
  if (!o) {
    const cls = typeof record['_target_'] === 'string' ? record['_target_'] : undefined;
    // In a tree with a _target_, `_target_` and `_partial_` are markers, not attributes.
    const entries = Object.entries(record).filter(([k]) => cls === undefined || !k.startsWith('_') || !k.endsWith('_'));
    const keys = entries.map(([k]) => k);
    const values = entries.map(([, v]) => v);
    const offsets: number[] = [];
    let next = 1;
    for (const v of values) {
      offsets.push(next);
      next += containers(v);
    }
    o = { cls, partial: Boolean(record['_partial_']), keys, values, index: new Map(keys.map((k, i) => [k, i])), offsets, containers: next };
    literalObjects.set(record, o);
  }
  return o;
}

function containers(x: unknown): number {
  if (x === null || typeof x !== 'object') return 0;
  if (!Array.isArray(x)) return literalObject(x as Record<string, unknown>).containers;
  let n = listContainers.get(x);
  if (n === undefined) listContainers.set(x, (n = 1 + x.reduce<number>((sum, v) => sum + containers(v), 0)));
  return n;
}
