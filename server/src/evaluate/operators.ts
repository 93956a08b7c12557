// Python's arithmetic, comparison and containment on abstract values. Every operator returns an
// unknown value, never throws, when an operand is unknown or the operation is not modelled.
import type { Range } from '../parse/positions';
import { bool, describe, float, int, isNumber, str, unknown, type Provenance, type Value } from './values';

const MAX_STRING = 1 << 20;

export function derived(range: Range, inputs: Value[], detail: string): Provenance {
  // A loop, not flatMap: every comparison and arithmetic result comes through here.
  const provs: Provenance[] = [];
  for (const v of inputs) if ('prov' in v && provs.length < 4) provs.push(v.prov);
  return { source: 'derived', range, detail, inputs: provs };
}

export function numberResult(n: number, isFloat: boolean, prov: Provenance): Value {
  if (isFloat) return float(n, prov);
  if (!Number.isSafeInteger(n)) return unknown(`the integer ${Number.isFinite(n) ? n.toExponential(3) : 'result'} is too large to analyse exactly`, prov.range ?? undefined);
  return int(n, prov);
}

export function binaryOp(op: string, l: Value, r: Value, range: Range): Value {
  if (l.kind === 'unknown') return l;
  if (r.kind === 'unknown') return r;
  const prov = derived(range, [l, r], `computed by ${describe(l)} ${op} ${describe(r)}`);
  const lb = l.kind === 'bool' ? Number(l.value) : undefined;
  const rb = r.kind === 'bool' ? Number(r.value) : undefined;
  const a = isNumber(l) ? l.value : lb;
  const b = isNumber(r) ? r.value : rb;
  if (a !== undefined && b !== undefined) {
    const isFloat = l.kind === 'float' || r.kind === 'float';
    switch (op) {
      case '+':
        return numberResult(a + b, isFloat, prov);
      case '-':
        return numberResult(a - b, isFloat, prov);
      case '*':
        return numberResult(a * b, isFloat, prov);
      case '/':
        return b === 0 ? unknown('division by zero', range) : float(a / b, prov);
      case '//':
        return b === 0 ? unknown('division by zero', range) : numberResult(Math.floor(a / b), isFloat, prov);
      case '%':
        return b === 0 ? unknown('modulo by zero', range) : numberResult(a - b * Math.floor(a / b), isFloat, prov);
      case '**':
        if (!isFloat && b < 0) return float(a ** b, prov);
        return numberResult(a ** b, isFloat, prov);
      case '<<':
      case '>>':
      case '&':
      case '|':
      case '^':
        if (isFloat || !Number.isSafeInteger(a) || !Number.isSafeInteger(b)) return unknown(`${op} is not modelled for these operands`, range);
        return bitwise(op, a, b, prov, range);
      default:
        return unknown(`the operator ${op} is not modelled`, range);
    }
  }
  if (l.kind === 'str' && r.kind === 'str' && op === '+') {
    return l.value.length + r.value.length > MAX_STRING ? unknown('string too long to analyse', range) : str(l.value + r.value, prov);
  }
  if (l.kind === 'str' && r.kind === 'int' && op === '*') {
    return r.value < 0 || l.value.length * r.value > MAX_STRING ? unknown('string too long to analyse', range) : str(l.value.repeat(r.value), prov);
  }
  return unknown(`${describe(l)} ${op} ${describe(r)} is not modelled`, range);
}

function bitwise(op: string, a: number, b: number, prov: Provenance, range: Range): Value {
  const A = BigInt(a);
  const B = BigInt(b);
  let v: bigint;
  switch (op) {
    case '<<':
      if (b < 0 || b > 64) return unknown('shift out of range', range);
      v = A << B;
      break;
    case '>>':
      if (b < 0) return unknown('negative shift', range);
      v = A >> B;
      break;
    case '&':
      v = A & B;
      break;
    case '|':
      v = A | B;
      break;
    default:
      v = A ^ B;
  }
  return numberResult(Number(v), false, prov);
}

export function unaryOp(op: string, x: Value, range: Range): Value {
  if (x.kind === 'unknown') return x;
  const n = isNumber(x) ? x.value : x.kind === 'bool' ? Number(x.value) : undefined;
  if (n === undefined) return unknown(`${op}${describe(x)} is not modelled`, range);
  const prov = derived(range, [x], `computed by ${op}${describe(x)}`);
  if (op === '-') return numberResult(-n, x.kind === 'float', prov);
  if (op === '+') return numberResult(n, x.kind === 'float', prov);
  if (op === '~' && x.kind !== 'float') return numberResult(-n - 1, false, prov);
  return unknown(`${op} is not modelled`, range);
}

/** The result of one comparison, or undefined when it cannot be decided. */
export function compare(op: string, l: Value, r: Value): boolean | undefined {
  if (l.kind === 'unknown' || r.kind === 'unknown') return undefined;
  switch (op) {
    case '==':
      return equals(l, r);
    case '!=':
    case '<>': {
      const e = equals(l, r);
      return e === undefined ? undefined : !e;
    }
    case 'is':
      return l.kind === 'none' || r.kind === 'none' || l.kind === 'bool' || r.kind === 'bool' ? equals(l, r) : undefined;
    case 'is not': {
      const e = l.kind === 'none' || r.kind === 'none' || l.kind === 'bool' || r.kind === 'bool' ? equals(l, r) : undefined;
      return e === undefined ? undefined : !e;
    }
    case 'in':
      return contains(r, l);
    case 'not in': {
      const c = contains(r, l);
      return c === undefined ? undefined : !c;
    }
    default: {
      const a = ordinal(l);
      const b = ordinal(r);
      if (a === undefined || b === undefined || typeof a !== typeof b) return undefined;
      switch (op) {
        case '<':
          return a < b;
        case '<=':
          return a <= b;
        case '>':
          return a > b;
        case '>=':
          return a >= b;
        default:
          return undefined;
      }
    }
  }
}

function ordinal(v: Value): number | string | undefined {
  if (isNumber(v)) return v.value;
  if (v.kind === 'bool') return Number(v.value);
  if (v.kind === 'str') return v.value;
  return undefined;
}

/** Python equality, or undefined when it cannot be decided. */
export function equals(l: Value, r: Value): boolean | undefined {
  if (l.kind === 'unknown' || r.kind === 'unknown') return undefined;
  const a = ordinal(l);
  const b = ordinal(r);
  if (a !== undefined && b !== undefined) return a === b;
  if (l.kind === 'none' || r.kind === 'none') return l.kind === r.kind;
  if ((l.kind === 'list' && r.kind === 'list') || (l.kind === 'tuple' && r.kind === 'tuple')) {
    const [ls, rs] = [l.items, r.items];
    if (!Array.isArray(ls) || !Array.isArray(rs)) return undefined;
    if (ls.length !== rs.length) return false;
    let all: boolean | undefined = true;
    for (let i = 0; i < ls.length; i++) {
      const e = equals(ls[i]!, rs[i]!);
      if (e === false) return false;
      if (e === undefined) all = undefined;
    }
    return all;
  }
  if (l.kind === 'object' && r.kind === 'object') return l.id === r.id ? true : undefined;
  if (a !== undefined || b !== undefined) return false;
  return undefined;
}

function contains(container: Value, item: Value): boolean | undefined {
  switch (container.kind) {
    case 'list':
    case 'tuple': {
      if (!Array.isArray(container.items)) return undefined;
      let maybe = false;
      for (const x of container.items) {
        const e = equals(x, item);
        if (e === true) return true;
        if (e === undefined) maybe = true;
      }
      return maybe ? undefined : false;
    }
    case 'dict':
      if (item.kind !== 'str') return undefined;
      // A key it does not list may still be there when its keys are not all known.
      return container.entries.has(item.value) || (container.unlisted ? undefined : false);
    case 'str':
      return item.kind === 'str' ? container.value.includes(item.value) : undefined;
    default:
      return undefined;
  }
}

export function boolValue(b: boolean, range: Range, inputs: Value[], detail: string): Value {
  return bool(b, derived(range, inputs, detail));
}
