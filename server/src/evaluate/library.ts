// What the evaluator knows about code outside the file: modules, functions and classes of the
// Python standard library, NeMo, NeMo-Run and Megatron. The interpreter asks the library for the
// value of a dotted name; anything the library does not know is unknown.
import { own } from '../catalog/own';
import type { NativeCall, Value } from './values';

/** A JSON-like default value of a class field. */
export type Literal = number | string | boolean | null | readonly Literal[];

export interface ClassModel {
  /** Canonical name, e.g. `MegatronStrategy`. */
  name: string;
  /** Positional parameters of the constructor, in order. */
  params: readonly string[];
  /** Defaults of the fields a plan reads, for objects that never set them. */
  defaults: Readonly<Record<string, Literal>>;
  /** Where the defaults come from, shown in provenance ("MegatronStrategy default (NeMo ...)"). */
  source: string;
  /** Methods of an instance, modelled natively (argparse, Experiment.add...): called with it as `self`. */
  methods?: Readonly<Record<string, NativeCall>>;
  /** Methods the class itself answers too (`AutoBridge.from_hf_pretrained(...)`): called with the class as `self`. */
  classMethods?: Readonly<Record<string, NativeCall>>;
  /** A constructor with behaviour of its own; otherwise arguments become fields. */
  construct?: NativeCall;
}

export interface Library {
  /** The value of a fully qualified dotted name, or undefined when it is not modelled. */
  resolve(path: string): Value | undefined;
  /**
   * `base.name` resolved, with the dotted path: an attribute of a module. Remembered by its two
   * parts, since joining them into a new string on every attribute read, to look that up, showed
   * in profiles.
   */
  member(base: string, name: string): { path: string; value: Value | undefined };
  classModel(name: string): ClassModel | undefined;
}

/** What a class gives for an attribute its object does not hold: a method, or the field's default. */
export type ClassMember = { method: NativeCall; fallback?: undefined } | { method?: undefined; fallback: Literal };

/**
 * What the class gives for `name`, or null when neither a method nor a default. Remembered per
 * class and name: a plan reads dozens of attributes of each job that only the class defines, and
 * each was four lookups (methods, class methods, `name in defaults` on a large object).
 */
export function classMember(model: ClassModel, name: string): ClassMember | null {
  let byName = classMembers.get(model);
  if (!byName) classMembers.set(model, (byName = new Map()));
  let member = byName.get(name);
  if (member === undefined) {
    const method = own(model.methods, name) ?? own(model.classMethods, name);
    const fallback = method ? undefined : own(model.defaults, name);
    member = method ? { method } : fallback !== undefined ? { fallback } : null;
    byName.set(name, member);
  }
  return member;
}

const classMembers = new WeakMap<ClassModel, Map<string, ClassMember | null>>();
