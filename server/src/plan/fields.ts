// Turning evaluated values into plan fields, and deriving fields from other fields.
import type { Provenance, Value } from '../evaluate/values';
import type { Field } from './plan';

export function unknownField<T>(reason: string): Field<T> {
  return { value: null, prov: null, unknown: reason };
}

export function knownField<T>(value: T | null, prov: Provenance | null): Field<T> {
  return { value, prov };
}

function provOf(v: Value): Provenance | null {
  return 'prov' in v ? v.prov : null;
}

function notUnknown(v: Value): string {
  if (v.kind === 'unknown') return v.reason;
  if ((v.kind === 'list' || v.kind === 'tuple') && !Array.isArray(v.items)) return v.items.reason;
  return `the value is ${v.kind === 'object' ? `a ${v.cls}` : `a ${v.kind}`}, not what Recipe Lens expects here`;
}

// A known value of the field's type is its own field (a value has `value` and `prov`, and
// neither is ever changed): a plan reads some eighty fields of each job, and a copy of each lived
// as long as the plan.

/** An integer field. A float is not one: NeMo and Megatron-Core fail on float sizes. */
export function intField(v: Value): Field<number> {
  // Past 2**53 an integer is no longer exact here (`int(1e308)`): unknown, as for derived values.
  if (v.kind === 'int') return Number.isSafeInteger(v.value) ? v : unknownField(`${Number.isInteger(v.value) ? BigInt(v.value) : v.value} is too large to analyse exactly`);
  if (v.kind === 'bool') return knownField(Number(v.value), v.prov);
  if (v.kind === 'none') return knownField<number>(null, v.prov);
  if (v.kind === 'float') return unknownField(`${v.value} is a float, not an integer`);
  return unknownField(notUnknown(v));
}

export function boolField(v: Value): Field<boolean> {
  if (v.kind === 'bool') return v;
  if (v.kind === 'int') return knownField(v.value !== 0, v.prov);
  if (v.kind === 'none') return knownField<boolean>(null, v.prov);
  return unknownField(notUnknown(v));
}

export function strField(v: Value): Field<string> {
  if (v.kind === 'str') return v;
  if (v.kind === 'none') return knownField<string>(null, v.prov);
  return unknownField(notUnknown(v));
}

export function strListField(v: Value): Field<string[]> {
  if (v.kind === 'none') return knownField<string[]>(null, v.prov);
  if ((v.kind === 'list' || v.kind === 'tuple') && Array.isArray(v.items) && v.items.every((i) => i.kind === 'str')) return knownField(v.items.map((i) => (i as { value: string }).value), v.prov);
  if (v.kind === 'str') return knownField([v.value], v.prov);
  return unknownField(notUnknown(v));
}

export function intOrListField(v: Value): Field<number | number[]> {
  if ((v.kind === 'list' || v.kind === 'tuple') && Array.isArray(v.items) && v.items.every((i) => i.kind === 'int')) return knownField(v.items.map((i) => (i as { value: number }).value), provOf(v));
  return intField(v);
}

/**
 * A field computed from others: known when all inputs are known, and when the result is exact
 * (the product of two large node and GPU counts can pass 2**53, where the evaluator's own
 * arithmetic would already have given up).
 */
export function derivedField<T>(inputs: Field<unknown>[], detail: string, compute: () => T | null, range: Provenance['range'] = null): Field<T> {
  // Loops, not find/flatMap: plans derive dozens of fields, and flatMap's arrays showed in profiles.
  const provs: Provenance[] = [];
  for (const f of inputs) {
    if (f.unknown !== undefined) return unknownField(f.unknown);
    if (f.prov) provs.push(f.prov);
  }
  const value = compute();
  if (typeof value === 'number' && !(Math.abs(value) <= Number.MAX_SAFE_INTEGER)) return unknownField(`${detail} is ${value.toExponential(3)}, too large to analyse exactly`);
  return knownField(value, { source: 'derived', range: range ?? provs[0]?.range ?? null, detail, inputs: provs.slice(0, 4) });
}
