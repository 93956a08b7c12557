// What the evaluator knows about code outside the file: modules, functions and classes of the
// Python standard library, NeMo, NeMo-Run and Megatron. The interpreter asks the library for the
// value of a dotted name; anything the library does not know is unknown.
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

/**
 * A class field's default, or undefined when the class does not model the field. Read through a
 * Map built once per class: `name in defaults` on these large objects, with names sliced from the
 * source text, was the costliest line of attribute access in profiles.
 */
export function fieldDefault(model: ClassModel, name: string): Literal | undefined {
  let defaults = defaultMaps.get(model);
  if (!defaults) {
    defaults = new Map(Object.entries(model.defaults));
    defaultMaps.set(model, defaults);
  }
  return defaults.get(name);
}

const defaultMaps = new WeakMap<ClassModel, Map<string, Literal>>();
