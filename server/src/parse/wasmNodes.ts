// Reading a syntax tree straight from tree-sitter's memory, without calling into wasm per node.
//
// web-tree-sitter's Node API builds a JavaScript object per node and crosses into wasm for every
// question; even calling the binding's functions directly (a symbol, a children array) cost the
// lowering as much as the rest of the analysis together. But a tree is plain data in the wasm
// heap, and tree-sitter's own node functions only read it: a subtree is either 8 bytes inline (a
// small leaf) or a pointer to a record with its children laid out just before it. This module
// reads those records with typed arrays over the heap, the way tree-sitter's node.c and
// tree_cursor.c do: hidden nodes are walked through, aliases come from the language's alias
// sequences, public symbols from its symbol map. Offsets are bytes of UTF-16 text (web-tree-sitter
// parses UTF-16), so a JavaScript index is half of one.
//
// The layouts are internal to tree-sitter, so web-tree-sitter's version is pinned exactly in
// package.json, `bind` checks the functions used and `languageTables` checks the language's
// layout against its public API, and test/parse/wasmNodes.test.ts compares every node of every
// fixture with the Node API.
import type { Language, Tree } from 'web-tree-sitter';

/** The Emscripten module web-tree-sitter runs on: the functions and memory this module uses. */
interface Binding {
  HEAPU8: Uint8Array;
  HEAPU16: Uint16Array;
  HEAP32: Int32Array;
  _ts_init(): number;
  _ts_tree_root_node_wasm(tree: number): void;
}

const FUNCTIONS = ['_ts_init', '_ts_tree_root_node_wasm'] as const;

let binding: Binding | undefined;
/** The transfer buffer's index in HEAP32: where the root node's record comes back. */
let transfer = 0;

/**
 * Keeps the Emscripten module that `Parser.init` was given (Emscripten fills in the options object
 * it is passed and returns it as the module). Throws if this web-tree-sitter lacks something.
 */
export function bind(module: object): void {
  const m = module as Partial<Binding>;
  const missing = [...FUNCTIONS.filter((f) => typeof m[f] !== 'function'), ...(['HEAPU8', 'HEAPU16', 'HEAP32'] as const).filter((h) => !ArrayBuffer.isView(m[h]))];
  if (missing.length) throw new Error(`this web-tree-sitter's binding lacks ${missing.join(', ')}; Recipe Lens needs the version pinned in its package.json`);
  binding = m as Binding;
  // ts_init only returns the address of the binding's static transfer buffer.
  transfer = binding._ts_init() >> 2;
}

/** ts_builtin_sym_error: the symbol of ERROR nodes, outside the language's tables. */
const ERROR_SYMBOL = 0xffff;

// SubtreeHeapData (lib/src/subtree.h), wasm32: byte offsets of the fields read.
const HEAP_PADDING_BYTES = 4;
const HEAP_SIZE_BYTES = 16;
const HEAP_ERROR_COST = 32;
const HEAP_CHILD_COUNT = 36;
const HEAP_SYMBOL = 40;
const HEAP_FLAGS = 44;
const HEAP_VISIBLE_CHILD_COUNT = 48;
const HEAP_NAMED_CHILD_COUNT = 52;
const HEAP_PRODUCTION_ID = 66;
/** A Subtree: 8 bytes, inline data or a pointer (whose low bit, `is_inline`, is then 0). */
const SUBTREE_BYTES = 8;
// SubtreeInlineData, little-endian: byte 0 holds is_inline and the flags, then the symbol, and
// the padding and size in bytes at 6 and 7.
const INLINE_SYMBOL = 1;
const INLINE_PADDING_BYTES = 6;
const INLINE_SIZE_BYTES = 7;
// Flags, shifted so that inline and heap subtrees agree: the inline byte's bit 0 is is_inline.
const VISIBLE = 1;
const NAMED = 2;
const EXTRA = 4;
const INLINE_MISSING = 16;
const HEAP_MISSING = 512;

// TSLanguage (lib/src/parser.h), wasm32: byte offsets of the fields read.
const LANGUAGE_SYMBOL_COUNT = 4;
const LANGUAGE_ALIAS_COUNT = 8;
const LANGUAGE_PRODUCTION_ID_COUNT = 28;
const LANGUAGE_MAX_ALIAS_SEQUENCE_LENGTH = 36;
const LANGUAGE_SYMBOL_NAMES = 56;
const LANGUAGE_SYMBOL_METADATA = 72;
const LANGUAGE_PUBLIC_SYMBOL_MAP = 76;
const LANGUAGE_ALIAS_SEQUENCES = 84;

/** What a walk needs of the language, copied out of wasm memory once per language. */
interface LanguageTables {
  /** The public symbol of each internal one (the type id the Node API reports). */
  publicSymbol: Uint16Array;
  /** Whether each symbol is named, for aliases. */
  named: Uint8Array;
  /** The alias of each production's structural children, `maxAliasLength` per production. */
  aliases: Uint16Array;
  maxAliasLength: number;
}

const languages = new WeakMap<Language, LanguageTables>();

/**
 * Copies the language's symbol map, metadata and alias sequences, checking first that the memory
 * read is laid out as this module assumes: its counts and names agree with the public API.
 */
function languageTables(language: Language): LanguageTables {
  let t = languages.get(language);
  if (t) return t;
  const { HEAPU8: u8, HEAPU16: u16, HEAP32: i32 } = binding!;
  const at = (language as unknown as { [0]: number })[0];
  const field = (offset: number) => i32[(at + offset) >> 2]!;
  const symbols = field(LANGUAGE_SYMBOL_COUNT) + field(LANGUAGE_ALIAS_COUNT);
  const names = field(LANGUAGE_SYMBOL_NAMES);
  const metadata = field(LANGUAGE_SYMBOL_METADATA);
  // TSSymbolMetadata is three bools: visible, named, supertype.
  const named = Uint8Array.from({ length: symbols }, (_, i) => u8[metadata + 3 * i + 1]!);
  const layoutHolds =
    symbols === language.types.length &&
    language.types.every((name, i) => name === undefined || cString(u8, i32[(names >> 2) + i]!) === name) &&
    // The API names visible symbols only, and calls named those that are named and visible.
    language.types.every((name, i) => name === undefined || (named[i] === 1) === language.nodeTypeIsNamed(i));
  if (!layoutHolds) throw new Error("this tree-sitter's language layout is not the one Recipe Lens reads; it needs the web-tree-sitter version pinned in its package.json");
  const maxAliasLength = u16[(at + LANGUAGE_MAX_ALIAS_SEQUENCE_LENGTH) >> 1]!;
  const aliasInts = field(LANGUAGE_PRODUCTION_ID_COUNT) * maxAliasLength;
  const aliasAt = field(LANGUAGE_ALIAS_SEQUENCES) >> 1;
  const publicAt = field(LANGUAGE_PUBLIC_SYMBOL_MAP) >> 1;
  t = {
    publicSymbol: u16.slice(publicAt, publicAt + symbols),
    named,
    aliases: u16.slice(aliasAt, aliasAt + aliasInts),
    maxAliasLength,
  };
  languages.set(language, t);
  return t;
}

function cString(u8: Uint8Array, at: number): string {
  let end = at;
  while (u8[end] !== 0) end++;
  return new TextDecoder().decode(u8.subarray(at, end));
}

/** A node saved past the walk that found it (a function body lowered later): its record. */
export type SavedNode = Int32Array;

/** Ints per node record: the address of its Subtree, its start in bytes, its alias symbol. */
const RECORD = 3;
/** How far apart the records of a children list are. */
export const NODE_STRIDE = RECORD;

/** A frame of `collect`: count, first child, production, index, structural index, position. */
const FRAME = 6;

/**
 * Walks one tree. A node is addressed by the index of its record in the reader's stack of
 * records: `children` pushes a node's children there and `release` pops them, so a walk must
 * release in the reverse order of what it asked for, as a depth-first walk does.
 */
export class NodeReader {
  private readonly owner: { [0]: number };
  private readonly tree: number;
  private readonly lang: LanguageTables;
  private stack: Int32Array = new Int32Array(RECORD * 256);
  private top = 0;
  // The heap views, replaced when wasm memory has grown (a parse in between): the old ones are
  // then detached, empty. Nothing a walk does can grow it.
  private u8: Uint8Array;
  private u16: Uint16Array;
  private i32: Int32Array;
  /** Where `children` keeps its place in a hidden node while walking through one inside it. */
  private frames: Int32Array = new Int32Array(FRAME * 16);

  constructor(tree: Tree) {
    if (!binding) throw new Error('tree-sitter is not initialised (loadPython)');
    // A Tree keeps its wasm address at index 0, as every web-tree-sitter method reads it, and
    // sets it to 0 when deleted.
    this.owner = tree as unknown as { [0]: number };
    this.tree = this.owner[0];
    this.lang = languageTables(tree.language);
    this.u8 = binding.HEAPU8;
    this.u16 = binding.HEAPU16;
    this.i32 = binding.HEAP32;
  }

  private refreshViews(): void {
    if (this.u8.length !== 0) return;
    this.u8 = binding!.HEAPU8;
    this.u16 = binding!.HEAPU16;
    this.i32 = binding!.HEAP32;
  }

  /** The root's record, saved. */
  root(): SavedNode {
    binding!._ts_tree_root_node_wasm(this.tree);
    this.refreshViews();
    const i32 = this.i32;
    // The binding's node record: id (the Subtree's address), start in UTF-16 units, row, column, alias.
    return Int32Array.of(i32[transfer]!, 2 * i32[transfer + 1]!, i32[transfer + 4]!);
  }

  /**
   * Puts a saved record on the stack for a walk; `release` it after. A record whose tree was
   * deleted would read freed memory: that is a programming error, and it throws.
   */
  place(saved: SavedNode): number {
    if (this.owner[0] !== this.tree) throw new Error('a saved syntax node outlived its tree');
    this.refreshViews();
    const at = this.top;
    this.push(saved[0]!, saved[1]!, saved[2]!);
    return at;
  }

  save(node: number): SavedNode {
    return this.stack.slice(node, node + RECORD);
  }

  /** Pops the records pushed since `at` was returned. */
  release(at: number): void {
    this.top = at;
  }

  private push(subtree: number, start: number, alias: number): void {
    const s = this.top + RECORD > this.stack.length ? (this.stack = doubled(this.stack)) : this.stack;
    s[this.top] = subtree;
    s[this.top + 1] = start;
    s[this.top + 2] = alias;
    this.top += RECORD;
  }

  /** The address of a heap subtree's data, or 0 for an inline one. */
  private heapData(subtree: number): number {
    return this.u8[subtree]! & 1 ? 0 : this.i32[subtree >> 2]!;
  }

  typeId(node: number): number {
    const s = this.stack;
    const alias = s[node + 2]!;
    let symbol = alias;
    if (!symbol) {
      const subtree = s[node]!;
      const data = this.heapData(subtree);
      symbol = data ? this.u16[(data + HEAP_SYMBOL) >> 1]! : this.u8[subtree + INLINE_SYMBOL]!;
    }
    return symbol === ERROR_SYMBOL ? symbol : this.lang.publicSymbol[symbol]!;
  }

  /** Start offset in UTF-16 code units, as JavaScript strings count. */
  startIndex(node: number): number {
    return this.stack[node + 1]! >> 1;
  }

  endIndex(node: number): number {
    const subtree = this.stack[node]!;
    const data = this.heapData(subtree);
    const size = data ? this.i32[(data + HEAP_SIZE_BYTES) >> 2]! : this.u8[subtree + INLINE_SIZE_BYTES]!;
    return (this.stack[node + 1]! + size) >> 1;
  }

  /** An ERROR node, a MISSING one, or one with either inside (its error cost). */
  hasError(node: number): boolean {
    if (this.typeId(node) === ERROR_SYMBOL) return true;
    const subtree = this.stack[node]!;
    const data = this.heapData(subtree);
    if (!data) return (this.u8[subtree]! & (INLINE_MISSING << 1)) !== 0;
    return (this.u16[(data + HEAP_FLAGS) >> 1]! & HEAP_MISSING) !== 0 || this.i32[(data + HEAP_ERROR_COST) >> 2]! > 0;
  }

  /**
   * Pushes the node's children (named only, or with anonymous tokens) and returns the address of
   * the first record, the others following NODE_STRIDE apart (`countFrom` says how many). Release
   * the address after. Two numbers, not an object of them: this runs for every node read.
   */
  children(node: number, namedOnly: boolean): number {
    const at = this.top;
    const data = this.heapData(this.stack[node]!);
    if (data && this.i32[(data + HEAP_CHILD_COUNT) >> 2]! > 0) this.collect(data, this.stack[node + 1]!, namedOnly);
    return at;
  }

  /** How many records were pushed since `at`. */
  countFrom(at: number): number {
    return (this.top - at) / RECORD;
  }

  /**
   * Pushes the visible children of the subtree at `parent` (heap data with children), walking
   * through hidden ones, as tree-sitter's cursor does. A child's alias, from the parent's
   * production, makes it visible and gives its symbol; extras (comments) take no alias slot.
   * Iterative: hidden nodes nest, and their depth is the input's to choose. Frames and records
   * are written to typed arrays through locals, not pushed: this loop runs for every child of
   * every node read, and a JavaScript array of frames cost about 5% of a walk.
   */
  private collect(parent: number, start: number, namedOnly: boolean): void {
    const { u8, u16, i32 } = this;
    const { aliases, maxAliasLength, named } = this.lang;
    const countAt = namedOnly ? HEAP_NAMED_CHILD_COUNT : HEAP_VISIBLE_CHILD_COUNT;
    let frames = this.frames;
    let depth = 0;
    let stack = this.stack;
    let top = this.top;
    let count = i32[(parent + HEAP_CHILD_COUNT) >> 2]!;
    let first = parent - count * SUBTREE_BYTES;
    let production = u16[(parent + HEAP_PRODUCTION_ID) >> 1]!;
    let i = 0;
    let structural = 0;
    let position = start;
    for (;;) {
      if (i === count) {
        if (depth === 0) break;
        depth -= FRAME;
        count = frames[depth]!;
        first = frames[depth + 1]!;
        production = frames[depth + 2]!;
        i = frames[depth + 3]!;
        structural = frames[depth + 4]!;
        position = frames[depth + 5]!;
        continue;
      }
      const child = first + i * SUBTREE_BYTES;
      const head = u8[child]!;
      let data = 0;
      let flags: number;
      let padding: number;
      let size: number;
      if (head & 1) {
        flags = head >> 1;
        padding = u8[child + INLINE_PADDING_BYTES]!;
        size = u8[child + INLINE_SIZE_BYTES]!;
      } else {
        data = i32[child >> 2]!;
        flags = u16[(data + HEAP_FLAGS) >> 1]!;
        padding = i32[(data + HEAP_PADDING_BYTES) >> 2]!;
        size = i32[(data + HEAP_SIZE_BYTES) >> 2]!;
      }
      let alias = 0;
      if (!(flags & EXTRA)) {
        if (production) alias = aliases[production * maxAliasLength + structural]!;
        structural++;
      }
      // A node starts after its padding; the first child's padding is its parent's.
      if (i > 0) position += padding;
      i++;
      if (flags & VISIBLE || alias) {
        if (!namedOnly || (alias ? named[alias] : flags & NAMED)) {
          if (top + RECORD > stack.length) stack = this.stack = doubled(stack);
          stack[top] = child;
          stack[top + 1] = position;
          stack[top + 2] = alias;
          top += RECORD;
        }
      } else if (data && i32[(data + HEAP_CHILD_COUNT) >> 2]! > 0 && i32[(data + countAt) >> 2]! > 0) {
        if (depth + FRAME > frames.length) frames = this.frames = doubled(frames);
        frames[depth] = count;
        frames[depth + 1] = first;
        frames[depth + 2] = production;
        frames[depth + 3] = i;
        frames[depth + 4] = structural;
        frames[depth + 5] = position + size;
        depth += FRAME;
        count = i32[(data + HEAP_CHILD_COUNT) >> 2]!;
        first = data - count * SUBTREE_BYTES;
        production = u16[(data + HEAP_PRODUCTION_ID) >> 1]!;
        i = 0;
        structural = 0;
        continue;
      }
      position += size;
    }
    this.top = top;
  }
}

/** A typed array twice as long, with the same contents at the start. */
function doubled(array: Int32Array): Int32Array {
  const grown = new Int32Array(array.length * 2);
  grown.set(array);
  return grown;
}
