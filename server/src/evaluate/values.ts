// The abstract values the evaluator computes. Every value is either known, with the provenance
// that says where it was set and how, or unknown, with the reason. Nothing here executes code.
import type { Range } from '../parse/positions';
import type { Stmt } from '../parse/syntax';

export type DefStmt = Extract<Stmt, { t: 'def' }>;

export type ProvenanceSource =
  /** Written in the file as a literal. */
  | 'literal'
  /** Set by a NeMo recipe factory (`llm.llama3_8b.pretrain_recipe()` and friends). */
  | 'recipe-default'
  /** Not set anywhere: the class's own default (MegatronStrategy, Trainer, a model config...). */
  | 'class-default'
  /** The default of an argparse option: it can be overridden on the command line. */
  | 'argparse-default'
  /** The fallback of an environment lookup: the variable may override it. */
  | 'environment-default'
  /** Stated by a `# recipe-lens: key=value` comment (the world of a Megatron-Bridge job). */
  | 'directive'
  /** Given by a launch command (torchrun, srun) that runs the file, in it or in the workspace. */
  | 'launcher'
  /** Computed from other values. */
  | 'derived';

export interface Provenance {
  source: ProvenanceSource;
  /** Where the value itself is written: the literal, the default, or the factory call. */
  range: Range | null;
  /** A sentence for hovers and messages, e.g. "argparse default of --tp (line 12)". */
  detail: string;
  /** The assignment or keyword argument that stored the value where the plan reads it. */
  assignedAt?: Range;
  /** For derived values: the provenance of the inputs (at most a few, for fixes and hovers). */
  inputs?: Provenance[];
}

interface Known {
  prov: Provenance;
}

export interface IntValue extends Known {
  kind: 'int';
  value: number;
}
export interface FloatValue extends Known {
  kind: 'float';
  value: number;
}
export interface BoolValue extends Known {
  kind: 'bool';
  value: boolean;
}
export interface StrValue extends Known {
  kind: 'str';
  value: string;
}
export interface NoneValue extends Known {
  kind: 'none';
}

/** Lists and dicts are mutable and shared by reference, so they carry an identity. */
export interface ListValue extends Known {
  kind: 'list' | 'tuple';
  id: number;
  /**
   * The items, or why they are not known: the list was appended to on only some paths of a
   * branch or loop whose condition is unknown, or code that is not modelled may have changed it.
   */
  items: Value[] | UnknownValue;
}
export interface DictValue extends Known {
  kind: 'dict';
  id: number;
  entries: Map<string, Value>;
  /**
   * Set when keys not in `entries` may be there too, with values not known, and why: the dict was
   * updated from something not known, or handed to code that is not modelled. A key it lacks then
   * reads as this, not as missing, and its keys and length are not known.
   */
  unlisted?: UnknownValue;
}

/** A module, or any dotted name below one, e.g. `nemo.collections.llm.llama3_8b`. */
export interface ModuleValue extends Known {
  kind: 'module';
  path: string;
}

/** A function defined in the analysed file. */
export interface FunctionValue extends Known {
  kind: 'function';
  name: string;
  node: DefStmt;
  defaults: Map<string, Value>;
  /** The scope the function was defined in (closures). */
  closure: Scope;
}

/** A callable the evaluator models natively: builtins, NeMo factories, argparse methods... */
export interface NativeValue extends Known {
  kind: 'native';
  name: string;
  call: NativeCall;
  /** The object a method is bound to. */
  self?: Value;
}

export interface PartialValue extends Known {
  kind: 'partial';
  fn: Value;
  args: Value[];
  kwargs: Map<string, Value>;
}

/** A class that NeMo, Megatron or NeMo-Run defines, e.g. `MegatronStrategy`. */
export interface ClassValue extends Known {
  kind: 'class';
  name: string;
}

/**
 * A configuration object: `run.Config(nl.MegatronStrategy, ...)`, an eager `nl.Trainer(...)`, a
 * recipe returned by a factory, an executor. Attributes that were never set read as the class
 * default. Objects are shared by reference and mutated in place through the evaluator's state.
 */
export interface ObjectValue extends Known {
  kind: 'object';
  id: number;
  cls: string;
  /** `config` for run.Config, `partial` for run.Partial, `eager` for a direct call. */
  form: 'config' | 'partial' | 'eager';
  attrs: Attributes;
  /** Set when code the evaluator cannot see may have changed the object. */
  opaque?: { reason: string; range: Range };
  /** For objects built by a recipe: which one (a NeMo factory, or a Megatron-Bridge recipe function with its era). */
  origin?: { recipe: string; factory: string; bridge?: { era: 'A' | 'B' | 'C' | 'D'; snapshot: string; gpusInName: number | null; /** Why this era was assumed. */ assumed: string } };
}

/**
 * An object's attributes: a Map, or what a recipe tree makes on demand (tree.ts). What is asked of
 * them: iterated in order, entries are the attributes set.
 */
export interface Attributes extends Iterable<[string, Value]> {
  get(name: string): Value | undefined;
  set(name: string, value: Value): unknown;
  has(name: string): boolean;
  delete(name: string): boolean;
  keys(): IterableIterator<string>;
  values(): IterableIterator<Value>;
}

export interface UnknownValue {
  kind: 'unknown';
  reason: string;
  /** Where the unknown value came from, when there is a place to point at. */
  range?: Range;
}

export type Value =
  | IntValue
  | FloatValue
  | BoolValue
  | StrValue
  | NoneValue
  | ListValue
  | DictValue
  | ModuleValue
  | FunctionValue
  | NativeValue
  | PartialValue
  | ClassValue
  | ObjectValue
  | UnknownValue;

export type KnownValue = Exclude<Value, UnknownValue>;

export interface CallArgs {
  args: Value[];
  kwargs: Map<string, Value>;
  /** The call expression, for provenance and for objects created by the call. */
  range: Range;
  /** Set when `*args` or `**kwargs` could not be expanded: any parameter may have been passed. */
  opaque?: string;
}

/** The evaluator services a native callable may use; implemented by the interpreter. */
export interface CallContext {
  state: import('./state').State;
  callValue(fn: Value, call: CallArgs): Value;
  getAttr(obj: Value, name: string, range: Range): Value;
  /** Records a call the evaluator cannot see into; objects passed to it become opaque. */
  opaqueCall(what: string, call: CallArgs): Value;
  /** Records a problem the program would hit at run time (a TypeError, a recipe that raises). */
  problem(range: Range, message: string, rewrite?: CallRewrite): void;
  /**
   * The environment variables the script itself has set (`os.environ[k] = v`, `update`,
   * `setdefault`): a read finds these before it falls back to a default.
   */
  readonly environ: DictValue;
  readonly surroundings: import('./surroundings').Surroundings;
}

/** A problem the program would hit at run time, and how to rewrite the call that causes it. */
export interface Problem {
  range: Range;
  message: string;
  rewrite?: CallRewrite;
}

/**
 * The rewrite of a call refused for its arguments: call it without them and assign each value to
 * the returned config after the statement (`cfg = f(tp=2)` -> `cfg = f()`, `cfg.model.tp = 2`).
 */
export interface CallRewrite {
  call: Range;
  assignments: { paths: string[]; value: Range }[];
}

export type NativeCall = (ctx: CallContext, call: CallArgs, self: Value | undefined) => Value;

/** A name-to-value scope with a parent; module scope has none. */
export class Scope {
  readonly vars = new Map<string, Value>();
  constructor(
    readonly parent: Scope | null,
    readonly id: number,
  ) {}

  lookup(name: string): Value | undefined {
    for (let s: Scope | null = this; s; s = s.parent) {
      const v = s.vars.get(name);
      if (v !== undefined) return v;
    }
    return undefined;
  }
}

// ----- constructors ---------------------------------------------------------------------------

export function unknown(reason: string, range?: Range): UnknownValue {
  return range ? { kind: 'unknown', reason, range } : { kind: 'unknown', reason };
}

export function literal(range: Range | null, detail = 'literal'): Provenance {
  return { source: 'literal', range, detail };
}

export function int(value: number, prov: Provenance): IntValue {
  return { kind: 'int', value, prov };
}
export function float(value: number, prov: Provenance): FloatValue {
  return { kind: 'float', value, prov };
}
export function bool(value: boolean, prov: Provenance): BoolValue {
  return { kind: 'bool', value, prov };
}
export function str(value: string, prov: Provenance): StrValue {
  return { kind: 'str', value, prov };
}
export function none(prov: Provenance): NoneValue {
  return { kind: 'none', prov };
}

export function isUnknown(v: Value): v is UnknownValue {
  return v.kind === 'unknown';
}

export function isNumber(v: Value): v is IntValue | FloatValue {
  return v.kind === 'int' || v.kind === 'float';
}

/** Python truthiness, or undefined when it cannot be decided. */
export function truthiness(v: Value): boolean | undefined {
  switch (v.kind) {
    case 'bool':
      return v.value;
    case 'int':
    case 'float':
      return v.value !== 0;
    case 'str':
      return v.value.length > 0;
    case 'none':
      return false;
    case 'list':
    case 'tuple':
      return Array.isArray(v.items) ? v.items.length > 0 : undefined;
    case 'dict':
      return v.entries.size > 0 || (v.unlisted ? undefined : false);
    case 'unknown':
      return undefined;
    default:
      return true;
  }
}

/** The same value with a different provenance (values are immutable; objects keep identity). */
export function withProvenance<V extends Value>(v: V, prov: Provenance): V {
  if (v.kind === 'unknown' || v.kind === 'object' || v.kind === 'list' || v.kind === 'tuple' || v.kind === 'dict') return v;
  return { ...v, prov };
}

/**
 * Whether `assignedAt` records anything on the value: scalars get a copy that says where they
 * were stored; objects and containers are shared as they are, and unknowns have no provenance.
 */
export function recordsAssignment(v: Value): v is Exclude<KnownValue, ListValue | DictValue | ObjectValue> {
  return v.kind !== 'unknown' && 'prov' in v && v.kind !== 'object' && v.kind !== 'list' && v.kind !== 'tuple' && v.kind !== 'dict';
}

/** Records that a value was stored by the assignment or keyword at `range`. */
export function assignedAt<V extends Value>(v: V, range: Range): V {
  if (!recordsAssignment(v)) return v;
  // Built field by field, scalars too: a generic spread of objects of many shapes showed in profiles.
  const { source, range: at, detail, inputs } = v.prov;
  const prov: Provenance = { source, range: at, detail, assignedAt: range };
  if (inputs) prov.inputs = inputs;
  switch (v.kind) {
    case 'int':
      return int(v.value, prov) as V;
    case 'float':
      return float(v.value, prov) as V;
    case 'bool':
      return bool(v.value, prov) as V;
    case 'str':
      return str(v.value, prov) as V;
    case 'none':
      return none(prov) as V;
    default:
      return { ...v, prov } as V;
  }
}

/** The same items, one by one; items that are not known are the same only as themselves. */
export function sameItems(a: ListValue['items'], b: ListValue['items']): boolean {
  if (!Array.isArray(a) || !Array.isArray(b)) return a === b;
  return a.length === b.length && a.every((x, i) => sameValue(x, b[i]!));
}

/** Two values are the same for merging purposes: same scalar, or the same object. */
export function sameValue(a: Value, b: Value): boolean {
  if (a === b) return true;
  switch (a.kind) {
    case 'int':
    case 'float':
      return (b.kind === 'int' || b.kind === 'float') && a.value === b.value;
    case 'bool':
    case 'str':
      return b.kind === a.kind && a.value === (b as BoolValue | StrValue).value;
    case 'none':
      return b.kind === 'none';
    case 'module':
      return b.kind === 'module' && a.path === b.path;
    case 'class':
      return b.kind === 'class' && a.name === b.name;
    case 'native':
      return b.kind === 'native' && a.call === b.call && a.self === b.self;
    case 'function':
      return b.kind === 'function' && a.node === b.node && a.closure === b.closure;
    case 'tuple':
      return b.kind === 'tuple' && sameItems(a.items, b.items);
    case 'list':
    case 'dict':
    case 'object':
      return 'id' in b && b.id === a.id;
    default:
      return false;
  }
}

/**
 * A float as Python writes it (`str()`, f-strings): `2.0`, not `2`; exponents from 1e16 and below
 * 1e-4, with two digits at least (`1e+20`, `1e-05`); `inf` and `nan`.
 */
export function pythonFloat(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const exponent = Number(x.toExponential().split('e')[1]);
  if (exponent >= 16 || exponent < -4) {
    const [digits, exp] = x.toExponential().split('e') as [string, string];
    const sign = exp.startsWith('-') ? '-' : '+';
    return `${digits}e${sign}${exp.replace(/^[+-]/, '').padStart(2, '0')}`;
  }
  const s = String(x);
  return s.includes('.') ? s : `${s}.0`;
}

/** A short rendering of a value for messages and hovers. */
export function describe(v: Value): string {
  switch (v.kind) {
    case 'int':
      return String(v.value);
    case 'float':
      return pythonFloat(v.value);
    case 'bool':
      return v.value ? 'True' : 'False';
    case 'str':
      return JSON.stringify(v.value);
    case 'none':
      return 'None';
    case 'list':
      return Array.isArray(v.items) ? `[${v.items.map(describe).join(', ')}]` : '[...]';
    case 'tuple':
      return Array.isArray(v.items) ? `(${v.items.map(describe).join(', ')})` : '(...)';
    case 'dict':
    {
      const entries = [...v.entries].map(([k, x]) => `${JSON.stringify(k)}: ${describe(x)}`);
      if (v.unlisted) entries.push('...');
      return `{${entries.join(', ')}}`;
    }
    case 'module':
      return v.path;
    case 'function':
      return `${v.name}()`;
    case 'native':
      return v.name;
    case 'partial':
      return `partial(${describe(v.fn)})`;
    case 'class':
      return v.name;
    case 'object':
      return `${v.cls}(...)`;
    case 'unknown':
      return 'unknown';
  }
}
