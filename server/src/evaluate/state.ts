// The evaluator's mutable state: variables, object attributes, dict entries, list items, and the
// launches (`run.run`, `exp.add`, `llm.pretrain(...)`) seen so far.
//
// Every write goes through here so that branches whose condition is unknown can be evaluated one
// after the other from the same starting point and then merged: a branch records what it wrote,
// the writes are undone, the other branch runs, and each slot either branch wrote becomes the
// merge of the two outcomes (known only where they agree).
import type { Range } from '../parse/positions';
import type { DictValue, ListValue, ObjectValue, Scope, UnknownValue, Value } from './values';

export type Slot =
  | { kind: 'var'; scope: Scope; name: string }
  | { kind: 'attr'; obj: ObjectValue; name: string }
  | { kind: 'entry'; dict: DictValue; key: string }
  | { kind: 'items'; list: ListValue }
  | { kind: 'unlisted'; dict: DictValue }
  | { kind: 'opaque'; obj: ObjectValue };

export interface Launch {
  task: Value;
  executor: Value | undefined;
  range: Range;
  how: string;
}

interface Written {
  slot: Slot;
  before: unknown;
}

export interface BranchOutcome {
  writes: Map<string, { slot: Slot; before: unknown; after: unknown }>;
  launches: Launch[];
}

/** Thrown when an analysis exceeds its step budget; the analysis is then abandoned. */
export class BudgetExceeded extends Error {}

function slotKey(slot: Slot): string {
  switch (slot.kind) {
    case 'var':
      return `v${slot.scope.id}:${slot.name}`;
    case 'attr':
      return `a${slot.obj.id}:${slot.name}`;
    case 'entry':
      return `e${slot.dict.id}:${slot.key}`;
    case 'items':
      return `i${slot.list.id}`;
    case 'unlisted':
      return `u${slot.dict.id}`;
    case 'opaque':
      return `o${slot.obj.id}`;
  }
}

export function readSlot(slot: Slot): unknown {
  switch (slot.kind) {
    case 'var':
      return slot.scope.vars.get(slot.name);
    case 'attr':
      return slot.obj.attrs.get(slot.name);
    case 'entry':
      return slot.dict.entries.get(slot.key);
    case 'items':
      return slot.list.items;
    case 'unlisted':
      return slot.dict.unlisted;
    case 'opaque':
      return slot.obj.opaque;
  }
}

/** The identity of the container a slot belongs to. */
function ownerId(slot: Slot): number {
  switch (slot.kind) {
    case 'var':
      return slot.scope.id;
    case 'attr':
    case 'opaque':
      return slot.obj.id;
    case 'entry':
    case 'unlisted':
      return slot.dict.id;
    case 'items':
      return slot.list.id;
  }
}

function writeSlot(slot: Slot, value: unknown): void {
  switch (slot.kind) {
    case 'var':
      if (value === undefined) slot.scope.vars.delete(slot.name);
      else slot.scope.vars.set(slot.name, value as Value);
      return;
    case 'attr':
      if (value === undefined) slot.obj.attrs.delete(slot.name);
      else slot.obj.attrs.set(slot.name, value as Value);
      return;
    case 'entry':
      if (value === undefined) slot.dict.entries.delete(slot.key);
      else slot.dict.entries.set(slot.key, value as Value);
      return;
    case 'items':
      slot.list.items = value as ListValue['items'];
      return;
    case 'unlisted':
      if (value === undefined) delete slot.dict.unlisted;
      else slot.dict.unlisted = value as UnknownValue;
      return;
    case 'opaque':
      slot.obj.opaque = value as ObjectValue['opaque'];
      return;
  }
}

export class State {
  readonly launches: Launch[] = [];
  private readonly frames: { written: Map<string, Written>; launchMark: number; idMark: number }[] = [];
  private steps = 0;
  private nextId = 1;

  constructor(private readonly maxSteps: number) {}

  /** Counts one unit of work; throws BudgetExceeded past the budget. */
  tick(): void {
    if (++this.steps > this.maxSteps) throw new BudgetExceeded(`analysis stopped after ${this.maxSteps} steps`);
  }

  get stepsTaken(): number {
    return this.steps;
  }

  /** Identities for objects, lists, dicts and scopes, in creation order. */
  newId(): number {
    return this.nextId++;
  }

  /**
   * A block of `n` identities, handed out by the caller in creation order: a tree's containers
   * take theirs when made, late, but number as if made with the tree (see tree.ts).
   */
  reserveIds(n: number): number {
    const first = this.nextId;
    this.nextId += n;
    return first;
  }

  write(slot: Slot, value: unknown): void {
    const frame = this.frames[this.frames.length - 1];
    // Containers created inside the branch are unreachable once its writes are undone, so their
    // own writes need no undo (and must survive, for the merge to see them).
    if (frame && ownerId(slot) < frame.idMark) {
      const key = slotKey(slot);
      if (!frame.written.has(key)) frame.written.set(key, { slot, before: readSlot(slot) });
    }
    writeSlot(slot, value);
  }

  launch(entry: Launch): void {
    this.launches.push(entry);
  }

  /** Starts recording a branch. Must be paired with endBranch. */
  beginBranch(): void {
    this.frames.push({ written: new Map(), launchMark: this.launches.length, idMark: this.nextId });
  }

  /** Stops recording, undoes the branch's writes and returns what it did. */
  endBranch(): BranchOutcome {
    const frame = this.frames.pop()!;
    const writes = new Map<string, { slot: Slot; before: unknown; after: unknown }>();
    for (const [key, w] of frame.written) writes.set(key, { slot: w.slot, before: w.before, after: readSlot(w.slot) });
    for (const w of [...frame.written.values()].reverse()) writeSlot(w.slot, w.before);
    const launches = this.launches.splice(frame.launchMark);
    return { writes, launches };
  }

  /**
   * Applies the merge of branch outcomes. A slot written by some branches takes, from the others,
   * the value it had before. Dead branches (those that raised) are left out by the caller.
   */
  applyMerged(outcomes: BranchOutcome[], merge: (values: unknown[], slot: Slot) => unknown): void {
    const keys = new Map<string, { slot: Slot; before: unknown }>();
    for (const o of outcomes) for (const [k, w] of o.writes) if (!keys.has(k)) keys.set(k, w);
    for (const [key, { slot, before }] of keys) {
      const values = outcomes.map((o) => (o.writes.has(key) ? o.writes.get(key)!.after : before));
      this.write(slot, merge(values, slot));
    }
    for (const o of outcomes) for (const l of o.launches) this.launch(l);
  }
}
