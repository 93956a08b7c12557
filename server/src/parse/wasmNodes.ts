// Reading a syntax tree straight from web-tree-sitter's wasm binding, without its Node objects.
//
// web-tree-sitter's Node API builds a JavaScript object per node and moves every argument through
// Emscripten's generic getValue/setValue; lowering a file that way cost as much as parsing it.
// The binding underneath is simple: a node is a record of five 32-bit integers (id, start index,
// start row, start column, alias), a function reads the node from a transfer buffer, and
// children come back as a malloc'd array of such records. This module calls those functions
// directly and reads the records from the wasm heap, so that a walk allocates nothing per node.
//
// The binding is an internal interface of web-tree-sitter, so its version is pinned exactly in
// package.json, `bind` checks that every function used is present, and
// test/parse/wasmNodes.test.ts checks every node of every fixture against the Node API.
import type { Tree } from 'web-tree-sitter';

/** The Emscripten module web-tree-sitter runs on: the functions and memory this module uses. */
export interface Binding {
  HEAP32: Int32Array;
  _ts_init(): number;
  _malloc(bytes: number): number;
  _free(address: number): void;
  _ts_tree_root_node_wasm(tree: number): void;
  _ts_node_symbol_wasm(tree: number): number;
  _ts_node_end_index_wasm(tree: number): number;
  _ts_node_has_error_wasm(tree: number): number;
  _ts_node_children_wasm(tree: number): void;
  _ts_node_named_children_wasm(tree: number): void;
}

const FUNCTIONS = ['_ts_init', '_malloc', '_free', '_ts_tree_root_node_wasm', '_ts_node_symbol_wasm', '_ts_node_end_index_wasm', '_ts_node_has_error_wasm', '_ts_node_children_wasm', '_ts_node_named_children_wasm'] as const;

/** Ints per node record, and the record's fields. */
const NODE_INTS = 5;
const START_INDEX = 1;

let binding: Binding | undefined;
/** The transfer buffer's index in HEAP32. */
let transfer = 0;

/**
 * Keeps the Emscripten module that `Parser.init` was given (Emscripten fills in the options object
 * it is passed and returns it as the module). Throws if this web-tree-sitter lacks a function.
 */
export function bind(module: object): void {
  const m = module as Partial<Binding>;
  const missing = FUNCTIONS.filter((f) => typeof m[f] !== 'function');
  if (missing.length || !(m.HEAP32 instanceof Int32Array)) {
    throw new Error(`this web-tree-sitter's binding lacks ${missing.join(', ') || 'HEAP32'}; Recipe Lens needs the version pinned in its package.json`);
  }
  binding = m as Binding;
  // ts_init only returns the address of the binding's static transfer buffer.
  transfer = binding._ts_init() >> 2;
}

/** A node saved past the walk that found it (a function body lowered later): its record. */
export type SavedNode = Int32Array;

/**
 * Walks one tree. Nodes are addressed by where their record lies in wasm memory: the children
 * arrays the binding returns, or a slot holding a saved record. Each children array must be
 * released with `release` once the walk is done with its records.
 */
export class NodeReader {
  private readonly b: Binding;
  private readonly owner: { [0]: number };
  private readonly tree: number;
  // The functions, and the heap view, in fields of this object: the Emscripten module is a
  // dictionary of hundreds of properties, and looking them up there on every call showed in
  // profiles. The view is replaced when wasm memory grows (the old one is then detached, empty).
  private heap: Int32Array;
  private readonly symbol: (tree: number) => number;
  private readonly end: (tree: number) => number;
  private readonly error: (tree: number) => number;
  private readonly all: (tree: number) => void;
  private readonly named: (tree: number) => void;

  constructor(tree: Tree) {
    if (!binding) throw new Error('tree-sitter is not initialised (loadPython)');
    const b = (this.b = binding);
    // A Tree keeps its wasm address at index 0, as every web-tree-sitter method reads it, and
    // sets it to 0 when deleted.
    this.owner = tree as unknown as { [0]: number };
    this.tree = this.owner[0];
    this.heap = b.HEAP32;
    this.symbol = b._ts_node_symbol_wasm;
    this.end = b._ts_node_end_index_wasm;
    this.error = b._ts_node_has_error_wasm;
    this.all = b._ts_node_children_wasm;
    this.named = b._ts_node_named_children_wasm;
  }

  private view(): Int32Array {
    if (this.heap.length === 0) this.heap = this.b.HEAP32;
    return this.heap;
  }

  /** The root's record, saved. */
  root(): SavedNode {
    this.b._ts_tree_root_node_wasm(this.tree);
    return this.view().slice(transfer, transfer + NODE_INTS);
  }

  /**
   * Copies a saved record into wasm memory for a walk; `release` it after. A record whose tree
   * was deleted would read freed memory: that is a programming error, and it throws.
   */
  place(saved: SavedNode): number {
    if (this.owner[0] !== this.tree) throw new Error('a saved syntax node outlived its tree');
    const at = this.b._malloc(NODE_INTS * 4);
    this.view().set(saved, at >> 2);
    return at;
  }

  save(node: number): SavedNode {
    return this.view().slice(node >> 2, (node >> 2) + NODE_INTS);
  }

  release(address: number): void {
    if (address) this.b._free(address);
  }

  /** Moves a node's record into the transfer buffer, where the binding's functions read it. */
  private select(node: number): void {
    // Five assignments: copyWithin is a builtin call, slower for five ints.
    const heap = this.view();
    const from = node >> 2;
    heap[transfer] = heap[from]!;
    heap[transfer + 1] = heap[from + 1]!;
    heap[transfer + 2] = heap[from + 2]!;
    heap[transfer + 3] = heap[from + 3]!;
    heap[transfer + 4] = heap[from + 4]!;
  }

  typeId(node: number): number {
    this.select(node);
    return this.symbol(this.tree);
  }

  /** Start offset in UTF-16 code units, as JavaScript strings count. */
  startIndex(node: number): number {
    return this.view()[(node >> 2) + START_INDEX]!;
  }

  endIndex(node: number): number {
    this.select(node);
    return this.end(this.tree);
  }

  hasError(node: number): boolean {
    this.select(node);
    return this.error(this.tree) === 1;
  }

  /**
   * The node's children (named only, or with anonymous tokens): their count and the address of
   * their records, NODE_INTS * 4 bytes apart; 0 when there are none. Release the address after.
   */
  children(node: number, namedOnly: boolean): { count: number; at: number } {
    this.select(node);
    if (namedOnly) this.named(this.tree);
    else this.all(this.tree);
    const heap = this.view();
    return { count: heap[transfer]!, at: heap[transfer + 1]! };
  }
}

/** Bytes between two records of a children array. */
export const NODE_BYTES = NODE_INTS * 4;
