// Python builtins and the methods of builtin types, as far as recipe scripts use them. Conversions
// keep the provenance of their input, so `int(os.environ.get("TP", "4"))` is still "the default of
// the environment variable TP".
import type { Range } from '../parse/positions';
import { compare, derived, equals } from './operators';
import {
  bool,
  describe,
  float,
  int,
  isNumber,
  literal,
  none,
  str,
  truthiness,
  unknown,
  withProvenance,
  type CallArgs,
  type CallContext,
  type DictValue,
  type ListValue,
  type NativeCall,
  type NativeValue,
  type UnknownValue,
  type Value,
} from './values';
import type { State } from './state';
import { own } from '../catalog/own';

/** Python's round(): halves go to the even neighbour (round(2.5) is 2), where Math.round goes up. */
function roundHalfEven(x: number): number {
  const down = Math.floor(x);
  const rest = x - down;
  if (rest !== 0.5) return Math.round(x);
  return down % 2 === 0 ? down : down + 1;
}

/** The most items a built sequence (range(), itertools.product()) is unrolled to. */
export const MAX_RANGE = 10_000;

export function native(name: string, call: NativeCall): NativeValue {
  return { kind: 'native', name, call, prov: literal(null, name) };
}

function firstUnknown(values: Value[]): Value | undefined {
  return values.find((v) => v.kind === 'unknown');
}

function toInt(v: Value, range: Range): Value {
  switch (v.kind) {
    case 'int':
      return v;
    case 'bool':
      return int(Number(v.value), v.prov);
    case 'float':
      return Number.isFinite(v.value) ? int(Math.trunc(v.value), v.prov) : unknown(`int() of ${v.value} raises`, range);
    case 'str': {
      const t = v.value.trim().replace(/_/g, '');
      return /^[+-]?\d+$/.test(t) && Number.isSafeInteger(Number(t)) ? int(Number(t), v.prov) : unknown(`int(${JSON.stringify(v.value)}) is not a known integer`, range);
    }
    case 'unknown':
      return v;
    default:
      return unknown(`int() of ${describe(v)} is not modelled`, range);
  }
}

/** `int(text, base)` for a base of 2 to 36; other bases (0 reads a prefix) are not modelled. */
function toIntInBase(v: Value, base: Value, range: Range): Value {
  if (v.kind === 'unknown') return v;
  if (base.kind === 'unknown') return base;
  if (v.kind !== 'str' || base.kind !== 'int' || base.value < 2 || base.value > 36) return unknown('int() with this base is not modelled', range);
  const t = v.value.trim().replace(/_/g, '').toLowerCase();
  const digits = /^[+-]?[0-9a-z]+$/.test(t) ? t.replace(/^[+-]/, '') : '';
  const ok = digits !== '' && [...digits].every((d) => parseInt(d, 36) < base.value);
  const n = ok ? parseInt(t, base.value) : NaN;
  return Number.isSafeInteger(n) ? int(n, v.prov) : unknown(`int(${JSON.stringify(v.value)}, ${base.value}) is not a known integer`, range);
}

function toFloat(v: Value, range: Range): Value {
  if (isNumber(v)) return float(v.value, v.prov);
  if (v.kind === 'bool') return float(Number(v.value), v.prov);
  // JavaScript's Number() also reads 0x, 0o and 0b prefixes, which Python's float() refuses.
  if (v.kind === 'str' && v.value.trim() !== '' && !/^\s*[+-]?0[xob]/i.test(v.value) && !Number.isNaN(Number(v.value))) return float(Number(v.value), v.prov);
  if (v.kind === 'unknown') return v;
  return unknown(`float() of ${describe(v)} is not modelled`, range);
}

function toBool(v: Value, range: Range): Value {
  const t = truthiness(v);
  if (t === undefined) return v.kind === 'unknown' ? v : unknown('truth value not known', range);
  return 'prov' in v ? bool(t, v.prov) : bool(t, literal(range));
}

function toStr(v: Value, range: Range): Value {
  if (v.kind === 'str') return v;
  if (v.kind === 'int' || v.kind === 'float' || v.kind === 'bool' || v.kind === 'none') return str(describe(v), v.prov);
  return v.kind === 'unknown' ? v : unknown(`str() of ${describe(v)} is not modelled`, range);
}

/** `min`/`max` over arguments or one iterable; the winner keeps its own provenance. */
function extreme(which: 'min' | 'max'): NativeCall {
  return (_ctx, call) => {
    const candidates = call.args.length === 1 && (call.args[0]!.kind === 'list' || call.args[0]!.kind === 'tuple') ? (call.args[0] as ListValue).items : call.args;
    if (!Array.isArray(candidates)) return candidates;
    const u = firstUnknown(candidates);
    if (u) return u;
    if (call.kwargs.has('key')) return unknown(`${which}() with a key function is not modelled`, call.range);
    if (candidates.length === 0) return call.kwargs.get('default') ?? unknown(`${which}() of an empty sequence`, call.range);
    let best = candidates[0]!;
    for (const c of candidates.slice(1)) {
      const better = compare(which === 'min' ? '<' : '>', c, best);
      if (better === undefined) return unknown(`${which}() of values that cannot be compared`, call.range);
      if (better) best = c;
    }
    return best;
  };
}

export function newList(ctx: CallContext, items: ListValue['items'], range: Range, kind: 'list' | 'tuple' = 'list'): ListValue {
  return { kind, id: ctx.state.newId(), items, prov: literal(range) };
}

function newDict(ctx: CallContext, entries: Map<string, Value>, range: Range, unlisted?: UnknownValue): DictValue {
  return { kind: 'dict', id: ctx.state.newId(), entries, prov: literal(range), ...(unlisted ? { unlisted } : {}) };
}

/** The position `key` names in a list of `length` items (negative from the end); -1 when it names none or is not known. */
export function listIndex(length: number, key: Value): number {
  const i = key.kind === 'int' ? (key.value < 0 ? length + key.value : key.value) : -1;
  return i < length ? i : -1;
}

/**
 * `d.update(other, **kwargs)`, `what` naming the call in reasons: the keys a known dict names are
 * set; from anything else, any key may be.
 */
export function updateDict(state: State, d: DictValue, call: CallArgs, what: string): Value {
  const other = call.args[0];
  if (other && other.kind !== 'dict') dictChanged(state, d, unknown(`${what} with something that is not a known dictionary`, call.range));
  else {
    if (other?.unlisted) dictChanged(state, d, other.unlisted);
    for (const [k, v] of [...(other?.entries ?? []), ...call.kwargs]) state.write({ kind: 'entry', dict: d, key: k }, v);
  }
  return none(literal(call.range));
}

/** The dict may have been changed in any way: its values, and which keys it has, are not known from here. */
export function dictChanged(state: State, d: DictValue, why: UnknownValue): void {
  for (const k of d.entries.keys()) state.write({ kind: 'entry', dict: d, key: k }, why);
  state.write({ kind: 'unlisted', dict: d }, why);
}

export function iterableItems(v: Value | undefined): Value[] | undefined {
  if (!v) return [];
  if (v.kind === 'list' || v.kind === 'tuple') return Array.isArray(v.items) ? v.items : undefined;
  if (v.kind === 'dict') return v.unlisted ? undefined : [...v.entries.keys()].map((k) => str(k, v.prov));
  return undefined;
}

const noop: NativeCall = (_ctx, call) => none(literal(call.range, 'None'));

let shared: ReadonlyMap<string, Value> | undefined;

/** The builtin names, built once: their values are immutable and read only. */
export function builtins(): ReadonlyMap<string, Value> {
  if (shared) return shared;
  const b = new Map<string, Value>();
  const def = (name: string, call: NativeCall) => b.set(name, native(name, call));
  def('int', (_c, call) => {
    const base = call.args[1] ?? call.kwargs.get('base');
    if (base) return call.args[0] ? toIntInBase(call.args[0], base, call.range) : unknown('int() with a base and no string raises', call.range);
    return call.args[0] ? toInt(call.args[0], call.range) : int(0, literal(call.range));
  });
  def('float', (_c, call) => (call.args[0] ? toFloat(call.args[0], call.range) : float(0, literal(call.range))));
  def('bool', (_c, call) => (call.args[0] ? toBool(call.args[0], call.range) : bool(false, literal(call.range))));
  def('str', (_c, call) => (call.args[0] ? toStr(call.args[0], call.range) : str('', literal(call.range))));
  def('min', extreme('min'));
  def('max', extreme('max'));
  def('abs', (_c, call) => {
    const x = call.args[0];
    if (!x || !isNumber(x)) return x?.kind === 'unknown' ? x : unknown('abs() of a value that is not a number', call.range);
    return x.kind === 'int' ? int(Math.abs(x.value), derived(call.range, [x], 'abs()')) : float(Math.abs(x.value), derived(call.range, [x], 'abs()'));
  });
  def('round', (_c, call) => {
    const x = call.args[0];
    if (!x || !isNumber(x) || call.args.length > 1) return x?.kind === 'unknown' ? x : unknown('round() is modelled only for one number', call.range);
    return int(roundHalfEven(x.value), derived(call.range, [x], 'round()'));
  });
  def('len', (_c, call) => {
    const x = call.args[0];
    if (!x) return unknown('len() without an argument', call.range);
    if (x.kind === 'list' || x.kind === 'tuple') return Array.isArray(x.items) ? int(x.items.length, derived(call.range, [x], 'len()')) : x.items;
    if (x.kind === 'dict') return x.unlisted ?? int(x.entries.size, derived(call.range, [x], 'len()'));
    if (x.kind === 'str') return int(x.value.length, derived(call.range, [x], 'len()'));
    return x.kind === 'unknown' ? x : unknown(`len() of ${describe(x)} is not modelled`, call.range);
  });
  def('sum', (_c, call) => {
    const items = iterableItems(call.args[0]);
    if (!items) return unknown('sum() of an unknown sequence', call.range);
    const start = call.args[1] ?? call.kwargs.get('start');
    if (start && !isNumber(start)) return start.kind === 'unknown' ? start : unknown('sum() with a start that is not a number', call.range);
    let total = start?.value ?? 0;
    let isFloat = start?.kind === 'float';
    for (const i of items) {
      if (!isNumber(i)) return i.kind === 'unknown' ? i : unknown('sum() of values that are not numbers', call.range);
      total += i.value;
      isFloat ||= i.kind === 'float';
    }
    const prov = derived(call.range, items, 'sum()');
    return isFloat ? float(total, prov) : int(total, prov);
  });
  def('range', (c, call) => {
    const nums = call.args.map((a) => (a.kind === 'int' ? a.value : undefined));
    if (nums.some((n) => n === undefined) || nums.length === 0) return unknown('range() of unknown bounds', call.range);
    const [start, stop, step] = nums.length === 1 ? [0, nums[0]!, 1] : [nums[0]!, nums[1]!, nums[2] ?? 1];
    if (step === 0) return unknown('range() with step 0 raises', call.range);
    const count = Math.max(0, Math.ceil((stop - start) / step));
    if (count > MAX_RANGE) return unknown(`range() of ${count} items is not unrolled`, call.range);
    const items: Value[] = [];
    for (let i = 0; i < count; i++) items.push(int(start + i * step, derived(call.range, [], 'range()')));
    return newList(c, items, call.range);
  });
  def('list', (c, call) => {
    const items = iterableItems(call.args[0]);
    return items ? newList(c, [...items], call.range) : unknown('list() of an unknown sequence', call.range);
  });
  def('tuple', (c, call) => {
    const items = iterableItems(call.args[0]);
    return items ? newList(c, [...items], call.range, 'tuple') : unknown('tuple() of an unknown sequence', call.range);
  });
  def('sorted', (c, call) => {
    const items = iterableItems(call.args[0]);
    if (!items || call.kwargs.size) return unknown('sorted() is modelled only for plain sequences', call.range);
    const sorted = sortedItems(items);
    return sorted ? newList(c, sorted, call.range) : unknown('sorted() of values that cannot be compared', call.range);
  });
  def('enumerate', (c, call) => {
    const items = iterableItems(call.args[0]);
    if (!items) return unknown('enumerate() of an unknown sequence', call.range);
    const start = call.args[1] ?? call.kwargs.get('start');
    if (start && start.kind !== 'int') return start.kind === 'unknown' ? start : unknown('enumerate() with a start that is not an integer', call.range);
    const first = start?.value ?? 0;
    return newList(c, items.map((v, i) => newList(c, [int(first + i, derived(call.range, [], 'enumerate()')), v], call.range, 'tuple')), call.range);
  });
  def('zip', (c, call) => {
    const lists = call.args.map(iterableItems);
    if (lists.some((l) => !l)) return unknown('zip() of an unknown sequence', call.range);
    const n = Math.min(...lists.map((l) => l!.length));
    return newList(c, Array.from({ length: n }, (_, i) => newList(c, lists.map((l) => l![i]!), call.range, 'tuple')), call.range);
  });
  def('dict', (c, call) => {
    const entries = new Map<string, Value>();
    const first = call.args[0];
    if (first) {
      if (first.kind !== 'dict') return unknown('dict() of something that is not a known dictionary', call.range);
      for (const [k, v] of first.entries) entries.set(k, v);
    }
    if (call.opaque) return unknown(call.opaque, call.range);
    for (const [k, v] of call.kwargs) entries.set(k, v);
    return newDict(c, entries, call.range, first?.kind === 'dict' ? first.unlisted : undefined);
  });
  def('getattr', (c, call) => {
    const [obj, name, fallback] = call.args;
    if (!obj || !name) return unknown('getattr() needs two arguments', call.range);
    if (name.kind !== 'str') return name.kind === 'unknown' ? unknown(`getattr() with an unknown name (${name.reason})`, call.range) : unknown('getattr() with a name that is not a string', call.range);
    const v = c.getAttr(obj, name.value, call.range);
    return v.kind === 'unknown' && fallback ? fallback : v;
  });
  def('setattr', (c, call) => {
    const [obj, name, value] = call.args;
    if (obj?.kind === 'object' && name?.kind === 'str' && value) c.state.write({ kind: 'attr', obj, name: name.value }, value);
    // A name that is not known may be any attribute's: the object may have changed anywhere.
    else if (obj?.kind === 'object' && name?.kind !== 'str') return c.opaqueCall('setattr() with a name that is not known', { ...call, args: [obj] });
    return none(literal(call.range));
  });
  def('hasattr', (_c, call) => unknown('hasattr() is not modelled', call.range));
  def('isinstance', (_c, call) => unknown('isinstance() is not modelled', call.range));
  def('type', (_c, call) => unknown('type() is not modelled', call.range));
  def('print', noop);
  def('open', (_c, call) => unknown('files are not read', call.range));
  def('input', (_c, call) => unknown('input() is read at run time', call.range));
  for (const e of ['Exception', 'ValueError', 'RuntimeError', 'TypeError', 'KeyError', 'AssertionError', 'NotImplementedError', 'SystemExit']) {
    def(e, (_c, call) => unknown(`${e}(...)`, call.range));
  }
  shared = b;
  return b;
}

// ----- methods of builtin types ----------------------------------------------------------------

function dictMethod(name: string): NativeCall | undefined {
  switch (name) {
    case 'get':
      return (_c, call, self) => {
        const d = self as DictValue;
        const k = call.args[0];
        if (!k || k.kind !== 'str') return k?.kind === 'unknown' ? k : unknown('dict.get() with a key that is not a string', call.range);
        return d.entries.get(k.value) ?? d.unlisted ?? call.args[1] ?? none(literal(call.range, 'dict.get() default None'));
      };
    case 'setdefault':
      return (c, call, self) => {
        const d = self as DictValue;
        const k = call.args[0];
        if (!k || k.kind !== 'str') {
          const why = unknown('dict.setdefault() with a key that is not a known string', call.range);
          dictChanged(c.state, d, why);
          return why;
        }
        const existing = d.entries.get(k.value);
        if (existing) return existing;
        // A key that may be there already keeps a value not known.
        const v = d.unlisted ?? call.args[1] ?? none(literal(call.range));
        c.state.write({ kind: 'entry', dict: d, key: k.value }, v);
        return v;
      };
    case 'update':
      return (c, call, self) => updateDict(c.state, self as DictValue, call, 'dict.update()');
    case 'pop':
      return (c, call, self) => {
        const d = self as DictValue;
        const k = call.args[0];
        if (!k || k.kind !== 'str') {
          const why = unknown('dict.pop() with a key that is not a known string', call.range);
          dictChanged(c.state, d, why);
          return why;
        }
        const v = d.entries.get(k.value) ?? d.unlisted ?? call.args[1] ?? unknown(`the key ${JSON.stringify(k.value)} is not in the dictionary`, call.range);
        c.state.write({ kind: 'entry', dict: d, key: k.value }, undefined);
        return v;
      };
    case 'copy':
      return (c, call, self) => newDict(c, new Map((self as DictValue).entries), call.range, (self as DictValue).unlisted);
    // A dict whose keys are not all known gives a list of items not known.
    case 'keys':
      return (c, call, self) => newList(c, (self as DictValue).unlisted ?? [...(self as DictValue).entries.keys()].map((k) => str(k, literal(call.range))), call.range);
    case 'values':
      return (c, call, self) => newList(c, (self as DictValue).unlisted ?? [...(self as DictValue).entries.values()], call.range);
    case 'items':
      return (c, call, self) => newList(c, (self as DictValue).unlisted ?? [...(self as DictValue).entries].map(([k, v]) => newList(c, [str(k, literal(call.range)), v], call.range, 'tuple')), call.range);
    default:
      return undefined;
  }
}

/** Items in ascending order, numbers or strings; undefined for others (Python would raise or compare them its own way). */
function sortedItems(items: readonly Value[]): Value[] | undefined {
  const copy = [...items];
  for (const i of copy) if (!isNumber(i) && i.kind !== 'str') return undefined;
  copy.sort((x, y) => (compare('<', x, y) ? -1 : compare('>', x, y) ? 1 : 0));
  return copy;
}

/** The index of the first item equal to `x`, -1 when none is, undefined when that is not known. */
function indexOf(items: readonly Value[], x: Value): number | undefined {
  for (let i = 0; i < items.length; i++) {
    const e = equals(items[i]!, x);
    if (e === undefined) return undefined;
    if (e) return i;
  }
  return -1;
}

function listMethod(name: string): NativeCall | undefined {
  const mutate = (f: (items: Value[], call: CallArgs) => ListValue['items']): NativeCall => (c, call, self) => {
    const l = self as ListValue;
    if (l.kind === 'tuple') return unknown(`tuple.${name}() does not exist`, call.range);
    // Items that are not known stay so, whatever is added.
    if (Array.isArray(l.items)) c.state.write({ kind: 'items', list: l }, f([...l.items], call));
    return none(literal(call.range));
  };
  switch (name) {
    case 'append':
      return mutate((items, call) => [...items, call.args[0] ?? unknown('append() without an argument', call.range)]);
    case 'extend':
      return mutate((items, call) => {
        const more = iterableItems(call.args[0]);
        return more ? [...items, ...more] : unknown('list.extend() with an unknown sequence', call.range);
      });
    case 'insert':
      return mutate((items, call) => {
        const i = call.args[0];
        if (i?.kind !== 'int') return unknown('list.insert() at an unknown index', call.range);
        items.splice(i.value, 0, call.args[1] ?? unknown('insert() without a value', call.range));
        return items;
      });
    case 'reverse':
      return mutate((items) => items.reverse());
    case 'clear':
      return mutate(() => []);
    case 'sort':
      return mutate((items, call) => (call.kwargs.size ? undefined : sortedItems(items)) ?? unknown('list.sort() with a key, reverse or values that cannot be compared', call.range));
    case 'remove':
      return mutate((items, call) => {
        const at = call.args[0] ? indexOf(items, call.args[0]) : -1;
        if (at === undefined) return unknown('list.remove() of a value that may or may not be in the list', call.range);
        // Not found raises ValueError: the list is as it was on every path that goes on.
        if (at >= 0) items.splice(at, 1);
        return items;
      });
    case 'pop':
      return (c, call, self) => {
        const l = self as ListValue;
        if (l.kind === 'tuple') return unknown('tuple.pop() does not exist', call.range);
        if (!Array.isArray(l.items)) return l.items;
        const i = call.args[0] ?? int(-1, literal(call.range));
        const at = listIndex(l.items.length, i);
        if (at < 0) {
          const why = unknown(i.kind === 'int' ? 'list.pop() out of range raises' : 'list.pop() at an unknown index', call.range);
          c.state.write({ kind: 'items', list: l }, why);
          return why;
        }
        const items = [...l.items];
        const [popped] = items.splice(at, 1);
        c.state.write({ kind: 'items', list: l }, items);
        return popped!;
      };
    case 'copy':
      return (c, call, self) => {
        const items = (self as ListValue).items;
        return newList(c, Array.isArray(items) ? [...items] : items, call.range);
      };
    default:
      return undefined;
  }
}

/** Python's strip family: whitespace, or any of `chars`, removed from the chosen ends. */
function stripped(s: string, chars: string | undefined, start: boolean, end: boolean): string {
  if (chars === undefined) return start && end ? s.trim() : start ? s.trimStart() : s.trimEnd();
  let i = 0;
  let j = s.length;
  if (start) while (i < j && chars.includes(s[i]!)) i++;
  if (end) while (j > i && chars.includes(s[j - 1]!)) j--;
  return s.slice(i, j);
}

function strMethod(name: string): NativeCall | undefined {
  const simple: Record<string, (s: string, args: string[]) => string | boolean> = {
    upper: (s) => s.toUpperCase(),
    lower: (s) => s.toLowerCase(),
    strip: (s, [chars]) => stripped(s, chars, true, true),
    lstrip: (s, [chars]) => stripped(s, chars, true, false),
    rstrip: (s, [chars]) => stripped(s, chars, false, true),
    startswith: (s, [p]) => s.startsWith(p ?? ''),
    endswith: (s, [p]) => s.endsWith(p ?? ''),
    // Python puts the replacement between characters and at both ends for an empty pattern.
    replace: (s, [a = '', b = '']) => (a !== '' ? s.split(a).join(b) : s === '' ? b : b + [...s].join(b) + b),
    isdigit: (s) => /^\d+$/.test(s),
  };
  const f = own(simple, name);
  if (!f) return undefined;
  return (_c, call, self) => {
    const s = self as Extract<Value, { kind: 'str' }>;
    const args: string[] = [];
    for (const a of call.args) {
      if (a.kind !== 'str') return unknown(`str.${name}() with arguments that are not known strings`, call.range);
      args.push(a.value);
    }
    const r = f(s.value, args);
    return typeof r === 'boolean' ? bool(r, derived(call.range, [s], `str.${name}()`)) : withProvenance(str(r, s.prov), derived(call.range, [s], `str.${name}()`));
  };
}

export function builtinMethod(self: Value, name: string): NativeCall | undefined {
  switch (self.kind) {
    case 'dict':
      return dictMethod(name);
    case 'list':
    case 'tuple':
      return listMethod(name);
    case 'str':
      return strMethod(name);
    default:
      return undefined;
  }
}
