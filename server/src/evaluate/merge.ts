// Merging the values that different control-flow paths leave in one place. A value stays known
// only where every path agrees; two configuration objects of the same class merge field by field,
// so a recipe built in both branches of an `if` on an unknown condition keeps the fields on which
// the branches agree.
import type { Slot, State } from './state';
import { sameItems, sameValue, unknown, type ListValue, type ObjectValue, type Value } from './values';

export class Merger {
  private readonly memo = new Map<string, ObjectValue>();

  constructor(
    private readonly state: State,
    /** Why the paths differ, e.g. "depends on the condition on line 12 (args.lora is unknown)". */
    private readonly reason: string,
  ) {}

  /** Merges what the paths left in a slot: a value, a list's items, or an object's opaque mark. */
  mergeSlot(values: unknown[], slot: Slot): unknown {
    switch (slot.kind) {
      case 'items':
        return this.mergeItems(values as ListValue['items'][]);
      case 'opaque':
      case 'unlisted':
        // Code that is not modelled may have changed the object on one path, or added keys to
        // the dict: so it may have.
        return values.find((v) => v !== undefined);
      default:
        return this.merge(values);
    }
  }

  /**
   * A list's items: item by item where every path left as many, otherwise not known (a loop over
   * an unknown sequence appends on one path and not on the other).
   */
  private mergeItems(lists: ListValue['items'][]): ListValue['items'] {
    const [first] = lists as [ListValue['items'], ...ListValue['items'][]];
    if (lists.every((l) => sameItems(first, l))) return first;
    const notKnown = lists.find((l) => !Array.isArray(l));
    if (notKnown) return notKnown;
    const arrays = lists as Value[][];
    const n = arrays[0]!.length;
    if (arrays.some((a) => a.length !== n)) return unknown(`${this.reason}: the list has a different number of items on each path`);
    return arrays[0]!.map((_, i) => this.merge(arrays.map((a) => a[i])) as Value);
  }

  /** Merges the values of one slot; `undefined` means "not set on that path". */
  merge(values: unknown[]): unknown {
    const first = values[0];
    if (values.every((v) => v === undefined)) return undefined;
    if (values.some((v) => v === undefined)) return unknown(`${this.reason}: set on only some paths`);
    const vs = values as Value[];
    if (vs.every((v) => sameValue(first as Value, v))) return first;
    if (vs.every((v) => v.kind === 'object')) return this.mergeObjects(vs as ObjectValue[]);
    const why = vs.find((v) => v.kind === 'unknown');
    return unknown(why && why.kind === 'unknown' ? why.reason : this.reason);
  }

  private mergeObjects(objs: ObjectValue[]): Value {
    const [a] = objs;
    if (!objs.every((o) => o.cls === a!.cls && o.form === a!.form)) return unknown(`${this.reason}: a different object on each path`);
    const key = objs.map((o) => o.id).join(',');
    const done = this.memo.get(key);
    if (done) return done;
    const merged: ObjectValue = { kind: 'object', id: this.state.newId(), cls: a!.cls, form: a!.form, attrs: new Map(), prov: a!.prov };
    this.memo.set(key, merged);
    const names = new Set<string>();
    for (const o of objs) for (const n of o.attrs.keys()) names.add(n);
    for (const n of names) {
      const v = this.merge(objs.map((o) => o.attrs.get(n)));
      if (v !== undefined) merged.attrs.set(n, v as Value);
    }
    const opaque = objs.find((o) => o.opaque)?.opaque;
    if (opaque) merged.opaque = opaque;
    return merged;
  }
}
