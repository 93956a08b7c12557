// Lowering tree-sitter's concrete syntax tree into the compact tree of syntax.ts.
//
// Through web-tree-sitter's Node API, reading the tree costs more than parsing it. So the walk
// reads the tree straight from wasm memory (wasmNodes.ts) and asks for as little as it can: the
// named children of a node (anonymous tokens only under the few nodes whose operator matters),
// each node's type once, and end offsets only where they cannot be read off the last child (a
// leaf's comes from its size in the tree, a read as cheap as scanning its text). Field names are
// inferred from the order of named children, which the grammar fixes. A block is read and
// lowered one statement at a time, so that each statement's intermediate tree dies young (cheap
// to collect). Function bodies are read and lowered lazily, on the first call, because most
// helpers in a script are never reached; without a cache, the first call's statements are not
// kept either (LazyBody). Nesting deeper than MAX_DEPTH lowers to an error node.
import type { Language, Tree } from 'web-tree-sitter';
import { NODE_STRIDE, NodeReader, type SavedNode } from './wasmNodes';
import type { Arg, Block, CompClause, DictItem, Expr, Param, Span, Stmt } from './syntax';

const MAX_DEPTH = 400;

interface Raw {
  type: string;
  named: boolean;
  field: string | null;
  s: number;
  e: number;
  kids: Raw[];
  /**
   * The record of a function body that is lowered later, and the reader of its tree. Always
   * present (undefined when not lazy) so that every Raw has one shape.
   */
  lazy: { node: SavedNode; reader: NodeReader } | undefined;
}

/** Nodes whose anonymous children (operators, keywords) the lowering reads. */
const WITH_TOKENS = new Set(['binary_operator', 'unary_operator', 'boolean_operator', 'comparison_operator', 'augmented_assignment', 'string']);

const NO_CHILDREN = new Set(['identifier', 'integer', 'float', 'true', 'false', 'none', 'comment', 'string_start', 'string_content', 'string_end', 'escape_sequence', 'escape_interpolation', 'type_conversion', 'format_specifier', 'keyword_separator', 'positional_separator', 'import_prefix', 'wildcard_import', 'dotted_name', 'ellipsis', 'line_continuation', 'ERROR']);

/**
 * Nodes that end where their last child ends (no closing bracket or keyword after it): their end
 * offset is taken from the child instead of asking tree-sitter.
 */
const ENDS_WITH_LAST_CHILD = new Set([
  'attribute', 'call', 'binary_operator', 'boolean_operator', 'comparison_operator', 'not_operator', 'unary_operator',
  'assignment', 'augmented_assignment', 'keyword_argument', 'default_parameter', 'typed_default_parameter', 'typed_parameter',
  'pair', 'conditional_expression', 'lambda', 'named_expression', 'aliased_import', 'return_statement', 'block',
  'if_statement', 'elif_clause', 'else_clause', 'for_statement', 'while_statement', 'with_statement', 'decorated_definition',
  'class_definition', 'with_clause', 'with_item', 'as_pattern', 'as_pattern_target', 'expression_statement', 'module',
]);

/**
 * What the walk needs to know of each node type, indexed by type id (a name lookup per node
 * showed in profiles), cached per language: "is named" is a wasm call otherwise.
 */
interface Types {
  names: string[];
  named: boolean[];
  fieldRule: (FieldRule | undefined)[];
  noChildren: boolean[];
  withTokens: boolean[];
  endsWithLastChild: boolean[];
}

const typeTables = new WeakMap<Language, Types>();

function tables(language: Language): Types {
  let t = typeTables.get(language);
  if (!t) {
    const names = language.types.map((n) => n ?? 'ERROR');
    t = {
      names,
      named: names.map((_, id) => language.nodeTypeIsNamed(id)),
      fieldRule: names.map((n) => (Object.hasOwn(FIELD_RULES, n) ? FIELD_RULES[n] : undefined)),
      noChildren: names.map((n) => NO_CHILDREN.has(n)),
      withTokens: names.map((n) => WITH_TOKENS.has(n)),
      endsWithLastChild: names.map((n) => ENDS_WITH_LAST_CHILD.has(n)),
    };
    typeTables.set(language, t);
  }
  return t;
}

/** Kids' arrays up to this length are reused between statements (see RawNodes). */
const SHORT_KIDS = 16;

/** The most raw nodes, and kids' arrays of each length, kept for reuse. */
const MAX_REUSED = 4096;

/** The children of every leaf: shared, since leaves never get any. */
const NO_KIDS: Raw[] = [];

/**
 * Lowered top-level statements by their exact text, kept by an editor between analyses of one
 * document: after an edit only the statements whose text changed are lowered again, the others
 * are reused (shifted to their new offsets). `settled`: its function bodies are lowered already.
 */
export type LoweringCache = Map<string, { s: number; stmts: readonly Stmt[]; settled?: boolean }>;

export function lowerModule(tree: Tree, text: string, cache?: LoweringCache): Block {
  const reader = new NodeReader(tree);
  const types = tables(tree.language);
  const root = reader.place(reader.root());
  try {
    if (!cache) return lowerBlock(reader, root, types, text, false);
    const used: LoweringCache = new Map();
    const out: Stmt[] = [];
    const at = reader.children(root, true);
    const count = reader.countFrom(at);
    try {
      for (let i = 0; i < count; i++) {
        const child = at + i * NODE_STRIDE;
        const typeId = reader.typeId(child);
        if (types.names[typeId] === 'comment') continue;
        const s = reader.startIndex(child);
        const key = text.slice(s, reader.endIndex(child));
        let hit = used.get(key) ?? cache.get(key);
        if (!hit) {
          const raw = new RawReader(reader, text, types, reader.hasError(child)).statement(child, typeId, 1);
          // Function bodies stay lazy: `settleLowering` lowers them before this tree is replaced.
          hit = { s, stmts: new Lowerer(text, types, false).stmts([raw]) };
        }
        used.set(key, hit);
        out.push(...(hit.s === s ? hit.stmts : (shift(hit.stmts, s - hit.s) as Stmt[])));
      }
    } finally {
      reader.release(at);
    }
    cache.clear();
    for (const [k, v] of used) cache.set(k, v);
    return { stmts: out };
  } finally {
    reader.release(root);
  }
}

/**
 * Lowers every function body the cache still holds lazily, while the tree it was read from is
 * alive: call it before the document's tree is replaced, since a cached statement outlives it.
 * Deferring this to the first edit keeps a file's first analysis as lazy as an uncached one.
 */
export function settleLowering(cache: LoweringCache): void {
  for (const entry of cache.values()) {
    if (entry.settled) continue;
    materialise(entry.stmts);
    entry.settled = true;
  }
}

/** Replaces lazily lowered function bodies by their statements, recursively. */
function materialise(stmts: readonly Stmt[]): void {
  for (const st of stmts) {
    if (st.t === 'def') (st as { body: Block }).body = { stmts: st.body.stmts };
    for (const block of blocksOf(st)) materialise(block.stmts);
  }
}

function blocksOf(st: Stmt): Block[] {
  switch (st.t) {
    case 'def':
      return [st.body];
    case 'if':
      return [...st.branches.map((b) => b.body), ...(st.orelse ? [st.orelse] : [])];
    case 'for':
    case 'while':
      return [st.body, ...(st.orelse ? [st.orelse] : [])];
    case 'try':
      return [st.body, ...st.handlers, ...(st.orelse ? [st.orelse] : []), ...(st.final ? [st.final] : [])];
    case 'with':
      return [st.body];
    default:
      return [];
  }
}

/** A copy of lowered syntax with every offset moved by `delta`. */
function shift(x: unknown, delta: number): unknown {
  if (Array.isArray(x)) return x.map((v) => shift(v, delta));
  if (x === null || typeof x !== 'object') return x;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(x)) out[k] = (k === 's' || k === 'e') && typeof v === 'number' ? v + delta : shift(v, delta);
  return out;
}

/**
 * The module's statements, each lowered when the evaluator comes to it: without a cache to keep
 * them in, a statement run is garbage at once (unless a function it defines holds it), instead of
 * living, with the whole file's, through every scavenge of the analysis. Consume it while the
 * tree is alive.
 */
export function lowerStatements(tree: Tree, text: string): Generator<Stmt, void, undefined> {
  const reader = new NodeReader(tree);
  return streamed(reader, reader.root(), tables(tree.language), text);
}

function lowerBlock(reader: NodeReader, node: number, types: Types, text: string, streamBodies: boolean): Block {
  return { stmts: [...statementsOf(reader, node, types, text, streamBodies)] };
}

/**
 * The statements of a block or of the module, one at a time, read and lowered: each statement's
 * raw tree is dead before the next is read.
 */
function* statementsOf(reader: NodeReader, node: number, types: Types, text: string, streamBodies: boolean): Generator<Stmt, void, undefined> {
  // Statements are checked for syntax errors only under a node that has one somewhere: most
  // files parse cleanly.
  const rawReader = new RawReader(reader, text, types, reader.hasError(node));
  const lowerer = new Lowerer(text, types, streamBodies);
  const out: Stmt[] = [];
  const at = reader.children(node, true);
  const count = reader.countFrom(at);
  try {
    for (let i = 0; i < count; i++) {
      const child = at + i * NODE_STRIDE;
      const raw = rawReader.statement(child, reader.typeId(child), 1);
      if (raw.type === 'comment') continue;
      lowerer.stmt(raw, out);
      yield out.pop()!;
    }
  } finally {
    reader.release(at);
  }
}

/**
 * A function body, read and lowered on demand from its saved node, and kept once lowered: for
 * the next call, and for an editor's cache. Where bodies stream (no cache: the command line, fix
 * proofs, benchmarks), the first call's statements are lowered as it reaches them and not kept.
 * Most functions of a script run once, and their kept bodies were a fifth of what each scavenge
 * of a long script's analysis copied; one that runs again is lowered once more, and kept.
 */
class LazyBody implements Block {
  #lowered: readonly Stmt[] | undefined = undefined;
  #streamed = false;

  constructor(
    private readonly reader: NodeReader,
    private readonly node: SavedNode,
    private readonly types: Types,
    private readonly text: string,
    private readonly streams: boolean,
  ) {}

  get stmts(): readonly Stmt[] {
    if (!this.#lowered) {
      const at = this.reader.place(this.node);
      try {
        this.#lowered = lowerBlock(this.reader, at, this.types, this.text, this.streams).stmts;
      } finally {
        this.reader.release(at);
      }
    }
    return this.#lowered;
  }

  once(): Iterable<Stmt> {
    if (this.#lowered || !this.streams || this.#streamed) return this.stmts;
    // Set before the first statement runs: a recursive call lowers the body and keeps it.
    this.#streamed = true;
    return streamed(this.reader, this.node, this.types, this.text);
  }
}

/**
 * The statements of a saved block, or of the module, lowered as they are consumed. The walk's
 * records stay on the reader's stack until it ends: anything read meanwhile (a call's body) is
 * pushed above them and released first, and abandoning it (a `return`, an exception) releases
 * them.
 */
function* streamed(reader: NodeReader, node: SavedNode, types: Types, text: string): Generator<Stmt, void, undefined> {
  const at = reader.place(node);
  try {
    yield* statementsOf(reader, at, types, text, true);
  } finally {
    reader.release(at);
  }
}

/** Simple statements: one with a syntax error anywhere inside becomes one error statement. */
const SIMPLE_STATEMENTS = new Set([
  'expression_statement', 'return_statement', 'import_statement', 'import_from_statement', 'delete_statement',
  'raise_statement', 'assert_statement', 'global_statement', 'nonlocal_statement', 'print_statement', 'exec_statement',
]);

/**
 * Raw nodes and their kids' arrays (by length, up to SHORT_KIDS), reused from one statement to
 * the next. Only one raw tree is alive at a time: every block is read and lowered one statement
 * at a time, and the lowered tree copies what it needs. Raw trees were a sixth of the bytes an
 * analysis allocated, enough to add a scavenge to each analysis of a long script (the analysis's
 * own data is copied at each).
 */
class RawNodes {
  private readonly nodes: Raw[] = [];
  private used = 0;
  private readonly kidArrays: Raw[][][] = Array.from({ length: SHORT_KIDS + 1 }, () => []);
  private readonly kidArraysUsed = new Int32Array(SHORT_KIDS + 1);

  /**
   * Starts a new raw tree: the nodes and arrays of the last one are reused. What one huge
   * statement (a list of a million items) needed is not kept past it.
   */
  reuse(): void {
    this.used = 0;
    this.kidArraysUsed.fill(0);
    if (this.nodes.length > MAX_REUSED) {
      this.nodes.length = MAX_REUSED;
      for (const arrays of this.kidArrays) if (arrays.length > MAX_REUSED) arrays.length = MAX_REUSED;
    }
  }

  make(type: string, named: boolean, field: string | null, s: number, e: number, kids: Raw[]): Raw {
    let raw = this.nodes[this.used];
    if (raw === undefined) {
      raw = { type, named, field, s, e, kids, lazy: undefined };
      this.nodes.push(raw);
    } else {
      raw.type = type;
      raw.named = named;
      raw.field = field;
      raw.s = s;
      raw.e = e;
      raw.kids = kids;
      raw.lazy = undefined;
    }
    this.used++;
    return raw;
  }

  /** An array for `n` kids: reused when short, fresh when long. */
  kidArray(n: number): Raw[] {
    if (n > SHORT_KIDS) return new Array<Raw>(n);
    const arrays = this.kidArrays[n]!;
    const i = this.kidArraysUsed[n]!++;
    return arrays[i] ?? (arrays[i] = new Array<Raw>(n));
  }
}

const rawNodes = new RawNodes();

class RawReader {
  constructor(
    private readonly reader: NodeReader,
    private readonly text: string,
    private readonly types: Types,
    private readonly checkErrors: boolean,
  ) {}

  /**
   * The kids of the nodes being read, innermost last, up to `kidTop`: each node copies its own
   * off the end. Slots past the top are left as they are (shrinking the array is a runtime call).
   */
  private readonly kidStack: Raw[] = [];
  private kidTop = 0;

  /**
   * A statement of a block or module: a simple one with a syntax error anywhere in it becomes an
   * error statement. One of a block (depth 1) starts a new raw tree: the last one is lowered.
   */
  statement(node: number, typeId: number, depth: number): Raw {
    if (depth === 1) rawNodes.reuse();
    const raw = this.read(node, typeId, null, depth, false);
    if (this.checkErrors && SIMPLE_STATEMENTS.has(raw.type) && this.reader.hasError(node)) {
      raw.type = 'ERROR';
      raw.kids = NO_KIDS;
    }
    return raw;
  }

  read(node: number, typeId: number, field: string | null, depth: number, lazyBody: boolean): Raw {
    const reader = this.reader;
    const types = this.types;
    const type = types.names[typeId] ?? 'ERROR';
    const s = reader.startIndex(node);
    const named = types.named[typeId] ?? true;
    if (lazyBody || depth > MAX_DEPTH || types.noChildren[typeId] !== false || !named || (type === 'string' && !this.isFormatted(s))) {
      const raw = rawNodes.make(type, named, field, s, reader.endIndex(node), NO_KIDS);
      if (lazyBody) raw.lazy = { node: reader.save(node), reader };
      if (depth > MAX_DEPTH) raw.type = 'TOO_DEEP';
      return raw;
    }
    const kids = this.kidStack;
    const base = this.kidTop;
    const at = reader.children(node, !types.withTokens[typeId]);
    const count = reader.countFrom(at);
    try {
      let namedIndex = 0;
      const isStatementList = type === 'module' || type === 'block';
      for (let i = 0; i < count; i++) {
        const child = at + i * NODE_STRIDE;
        const kidTypeId = reader.typeId(child);
        const kidType = types.names[kidTypeId] ?? 'ERROR';
        if (kidType === 'comment') continue;
        let kidField: string | null = null;
        if (types.named[kidTypeId] ?? true) kidField = fieldName(types.fieldRule[typeId], type, namedIndex++, kidType);
        else if (type !== 'comparison_operator' && type !== 'string') kidField = 'operator';
        // A function's body is read when the function is first called, if ever.
        const kid = isStatementList ? this.statement(child, kidTypeId, depth + 1) : this.read(child, kidTypeId, kidField, depth + 1, type === 'function_definition' && kidField === 'body');
        if (this.kidTop === kids.length) kids.push(kid);
        else kids[this.kidTop] = kid;
        this.kidTop++;
      }
    } finally {
      reader.release(at);
    }
    // An array of the exact length (one grown by pushes reserves room for 16 or more), filled by a
    // loop: `slice` of the kid stack cost about 5% of reading a statement, paired in one process.
    const n = this.kidTop - base;
    let own = NO_KIDS;
    if (n > 0) {
      own = rawNodes.kidArray(n);
      for (let j = 0; j < n; j++) own[j] = kids[base + j]!;
    }
    const raw = rawNodes.make(type, named, field, s, -1, own);
    this.kidTop = base;
    const last = raw.kids[raw.kids.length - 1];
    raw.e = last && types.endsWithLastChild[typeId] ? last.e : reader.endIndex(node);
    return raw;
  }

  /** An f-string has interpolations to lower; other strings are read from the text. */
  private isFormatted(s: number): boolean {
    for (let i = s; i < s + 4 && i < this.text.length; i++) {
      const c = this.text[i]!;
      if (c === '"' || c === "'") return false;
      if (c === 'f' || c === 'F') return true;
    }
    return false;
  }
}

/** The i-th of a node's field names; the last repeats (`alternative`, `name`). */
function nth(i: number, names: readonly string[]): string {
  return names[Math.min(i, names.length - 1)]!;
}

const FIELDS_CONDITION_BODY = ['condition', 'body'];
const FIELDS_CONDITION_CONSEQUENCE = ['condition', 'consequence'];
const FIELDS_CONDITION_CONSEQUENCE_ALTERNATIVE = ['condition', 'consequence', 'alternative'];
const FIELDS_FUNCTION_ARGUMENTS = ['function', 'arguments'];
const FIELDS_KEY_VALUE = ['key', 'value'];
const FIELDS_LEFT_RIGHT = ['left', 'right'];
const FIELDS_LEFT_RIGHT_BODY = ['left', 'right', 'body'];
const FIELDS_NAME_ALIAS = ['name', 'alias'];
const FIELDS_NAME_VALUE = ['name', 'value'];
const FIELDS_OBJECT_ATTRIBUTE = ['object', 'attribute'];
const FIELDS_VALUE_SUBSCRIPT = ['value', 'subscript'];

type FieldRule = (i: number, type: string) => string | null;

/**
 * The field names of the i-th named child, by position, as the Python grammar orders children,
 * per parent type; a parent not listed names none. Only the fields the lowering reads are named.
 */
const FIELD_RULES: Record<string, FieldRule> = {
  assignment: (i) => (i === 0 ? 'left' : 'right'),
  augmented_assignment: (i) => (i === 0 ? 'left' : 'right'),
  attribute: (i) => nth(i, FIELDS_OBJECT_ATTRIBUTE),
  call: (i) => nth(i, FIELDS_FUNCTION_ARGUMENTS),
  keyword_argument: (i) => nth(i, FIELDS_NAME_VALUE),
  default_parameter: (i) => nth(i, FIELDS_NAME_VALUE),
  typed_default_parameter: (i) => nth(i, FIELDS_NAME_VALUE),
  named_expression: (i) => nth(i, FIELDS_NAME_VALUE),
  aliased_import: (i) => nth(i, FIELDS_NAME_ALIAS),
  pair: (i) => nth(i, FIELDS_KEY_VALUE),
  binary_operator: (i) => nth(i, FIELDS_LEFT_RIGHT),
  boolean_operator: (i) => nth(i, FIELDS_LEFT_RIGHT),
  unary_operator: () => 'argument',
  not_operator: () => 'argument',
  subscript: (i) => nth(i, FIELDS_VALUE_SUBSCRIPT),
  if_statement: (i) => nth(i, FIELDS_CONDITION_CONSEQUENCE_ALTERNATIVE),
  elif_clause: (i) => nth(i, FIELDS_CONDITION_CONSEQUENCE),
  else_clause: () => 'body',
  for_statement: (i, type) => (type === 'else_clause' ? 'alternative' : nth(i, FIELDS_LEFT_RIGHT_BODY)),
  for_in_clause: (i) => nth(i, FIELDS_LEFT_RIGHT),
  while_statement: (i, type) => (type === 'else_clause' ? 'alternative' : nth(i, FIELDS_CONDITION_BODY)),
  try_statement: (i) => (i === 0 ? 'body' : null),
  with_statement: (_i, type) => (type === 'block' ? 'body' : null),
  with_item: () => 'value',
  as_pattern: (_i, type) => (type === 'as_pattern_target' ? 'alias' : null),
  function_definition: (i, type) => (i === 0 ? 'name' : type === 'parameters' ? 'parameters' : type === 'block' ? 'body' : null),
  class_definition: (i, type) => (i === 0 ? 'name' : type === 'block' ? 'body' : null),
  decorated_definition: (_i, type) => (type === 'function_definition' || type === 'class_definition' ? 'definition' : null),
  import_statement: () => 'name',
  import_from_statement: (i) => (i === 0 ? 'module_name' : 'name'),
  lambda: (_i, type) => (type === 'lambda_parameters' ? 'parameters' : 'body'),
  interpolation: (i) => (i === 0 ? 'expression' : null),
  list_comprehension: (i) => (i === 0 ? 'body' : null),
  set_comprehension: (i) => (i === 0 ? 'body' : null),
  generator_expression: (i) => (i === 0 ? 'body' : null),
  dictionary_comprehension: (i) => (i === 0 ? 'body' : null),
};

/**
 * The field name of the i-th named child of a parent whose rule (by type id) is `rule`; `type`
 * annotations are recognised by node type, under any parent.
 */
function fieldName(rule: FieldRule | undefined, parent: string, i: number, type: string): string | null {
  if (type === 'type') return parent === 'function_definition' ? 'return_type' : 'type';
  return rule ? rule(i, type) : null;
}

// Plain loops, not find/filter with a closure: these run for nearly every node lowered.
function field(raw: Raw, name: string): Raw | undefined {
  for (const k of raw.kids) if (k.field === name) return k;
  return undefined;
}

function fields(raw: Raw, name: string): Raw[] {
  const out: Raw[] = [];
  for (const k of raw.kids) if (k.field === name) out.push(k);
  return out;
}

/** The named kids (not to be changed: usually `raw.kids` itself, since most nodes are read without tokens). */
function named(raw: Raw): readonly Raw[] {
  for (const k of raw.kids) if (!k.named) return raw.kids.filter((x) => x.named);
  return raw.kids;
}

function span(raw: Raw): Span {
  return { s: raw.s, e: raw.e };
}

class Lowerer {
  constructor(
    private readonly text: string,
    private readonly types: Types,
    /** Whether function bodies are lowered as they run the first time (see LazyBody). */
    private readonly streamBodies: boolean,
  ) {}

  private src(raw: Raw): string {
    return this.text.slice(raw.s, raw.e);
  }

  stmts(kids: Raw[]): Stmt[] {
    const out: Stmt[] = [];
    for (const k of kids) if (k.named) this.stmt(k, out);
    return out;
  }

  private block(raw: Raw | undefined): Block {
    if (!raw) return { stmts: [] };
    if (raw.lazy) return new LazyBody(raw.lazy.reader, raw.lazy.node, this.types, this.text, this.streamBodies);
    return { stmts: this.stmts(raw.kids) };
  }

  stmt(raw: Raw, out: Stmt[]): void {
    const sp: Span = raw;
    switch (raw.type) {
      case 'expression_statement': {
        const inner = named(raw);
        // `a = 1; b = 2` on one line are separate statements already; a tuple of expressions
        // without assignment lowers to one expression.
        if (inner.length === 1) {
          const x = inner[0]!;
          if (x.type === 'assignment') out.push(this.assignment(x));
          else if (x.type === 'augmented_assignment') {
            out.push({ t: 'augassign', s: sp.s, e: sp.e, target: this.expr(field(x, 'left')), op: this.src(field(x, 'operator')!).slice(0, -1), value: this.expr(field(x, 'right')) });
          } else out.push({ t: 'expr', s: sp.s, e: sp.e, x: this.expr(x) });
        } else out.push({ t: 'expr', s: sp.s, e: sp.e, x: { t: 'seq', kind: 'tuple', s: sp.s, e: sp.e, items: inner.map((x) => this.expr(x)) } });
        return;
      }
      case 'import_statement':
        out.push({
          t: 'import',
          s: sp.s, e: sp.e,
          names: fields(raw, 'name').map((n) =>
            n.type === 'aliased_import'
              ? { path: this.src(field(n, 'name')!), alias: this.src(field(n, 'alias')!), span: span(n) }
              : { path: this.src(n), span: span(n) },
          ),
        });
        return;
      case 'import_from_statement': {
        const mod = field(raw, 'module_name');
        let module = '';
        let level = 0;
        if (mod?.type === 'relative_import') {
          const prefix = mod.kids.find((k) => k.type === 'import_prefix');
          level = prefix ? prefix.e - prefix.s : 0;
          const dotted = mod.kids.find((k) => k.type === 'dotted_name');
          module = dotted ? this.src(dotted) : '';
        } else if (mod) module = this.src(mod);
        const names = raw.kids.some((k) => k.type === 'wildcard_import')
          ? ('*' as const)
          : fields(raw, 'name').map((n) =>
              n.type === 'aliased_import'
                ? { name: this.src(field(n, 'name')!), alias: this.src(field(n, 'alias')!), span: span(n) }
                : { name: this.src(n), span: span(n) },
            );
        out.push({ t: 'from', s: sp.s, e: sp.e, module, level, names });
        return;
      }
      case 'future_import_statement':
      case 'pass_statement':
      case 'print_statement':
      case 'exec_statement':
      case 'type_alias_statement':
      case 'nonlocal_statement':
      case 'assert_statement':
        out.push({ t: 'pass', s: sp.s, e: sp.e });
        return;
      case 'if_statement': {
        const branches = [{ test: this.expr(field(raw, 'condition')), body: this.block(field(raw, 'consequence')) }];
        let orelse: Block | null = null;
        for (const alt of fields(raw, 'alternative')) {
          if (alt.type === 'elif_clause') branches.push({ test: this.expr(field(alt, 'condition')), body: this.block(field(alt, 'consequence')) });
          else orelse = this.block(field(alt, 'body'));
        }
        out.push({ t: 'if', s: sp.s, e: sp.e, branches, orelse });
        return;
      }
      case 'for_statement':
        out.push({ t: 'for', s: sp.s, e: sp.e, target: this.expr(field(raw, 'left')), iter: this.expr(field(raw, 'right')), body: this.block(field(raw, 'body')), orelse: this.elseOf(raw) });
        return;
      case 'while_statement':
        out.push({ t: 'while', s: sp.s, e: sp.e, test: this.expr(field(raw, 'condition')), body: this.block(field(raw, 'body')), orelse: this.elseOf(raw) });
        return;
      case 'try_statement': {
        const handlers: Block[] = [];
        let orelse: Block | null = null;
        let final: Block | null = null;
        for (const k of raw.kids) {
          if (k.type === 'except_clause' || k.type === 'except_group_clause') handlers.push(this.block(k.kids.find((c) => c.type === 'block')));
          else if (k.type === 'else_clause') orelse = this.block(field(k, 'body'));
          else if (k.type === 'finally_clause') final = this.block(k.kids.find((c) => c.type === 'block'));
        }
        out.push({ t: 'try', s: sp.s, e: sp.e, body: this.block(field(raw, 'body')), handlers, orelse, final });
        return;
      }
      case 'with_statement': {
        const clause = raw.kids.find((k) => k.type === 'with_clause');
        const items = (clause ? clause.kids.filter((k) => k.type === 'with_item') : []).map((item) => {
          const value = field(item, 'value')!;
          if (value?.type === 'as_pattern') {
            const target = value.kids.find((k) => k.field === 'alias');
            const ctx = named(value).find((k) => k.field !== 'alias');
            return { ctx: this.expr(ctx), target: target ? this.expr(named(target)[0] ?? target) : undefined };
          }
          return { ctx: this.expr(value) };
        });
        out.push({ t: 'with', s: sp.s, e: sp.e, items, body: this.block(field(raw, 'body')) });
        return;
      }
      case 'function_definition':
        out.push(this.def(raw, []));
        return;
      case 'decorated_definition': {
        const def = field(raw, 'definition');
        const decorators = raw.kids.filter((k) => k.type === 'decorator').map((d) => this.expr(named(d)[0]));
        if (def?.type === 'function_definition') out.push({ ...this.def(def, decorators), s: raw.s });
        else if (def) out.push({ t: 'class', s: sp.s, e: sp.e, name: this.src(field(def, 'name')!) });
        return;
      }
      case 'class_definition':
        out.push({ t: 'class', s: sp.s, e: sp.e, name: this.src(field(raw, 'name')!) });
        return;
      case 'return_statement': {
        const value = named(raw);
        out.push({ t: 'return', s: sp.s, e: sp.e, value: value.length ? this.exprList(value, sp) : null });
        return;
      }
      case 'raise_statement':
        out.push({ t: 'raise', s: sp.s, e: sp.e });
        return;
      case 'break_statement':
        out.push({ t: 'break', s: sp.s, e: sp.e });
        return;
      case 'continue_statement':
        out.push({ t: 'continue', s: sp.s, e: sp.e });
        return;
      case 'global_statement':
        out.push({ t: 'global', s: sp.s, e: sp.e, names: named(raw).map((n) => this.src(n)) });
        return;
      case 'delete_statement': {
        const x = named(raw)[0];
        const targets = x?.type === 'expression_list' ? named(x).map((t) => this.expr(t)) : [this.expr(x)];
        out.push({ t: 'del', s: sp.s, e: sp.e, targets });
        return;
      }
      case 'match_statement':
        out.push({ t: 'error', s: sp.s, e: sp.e, what: 'match statements are not modelled' });
        return;
      default:
        out.push({ t: 'error', s: sp.s, e: sp.e, what: raw.type === 'ERROR' ? 'syntax error' : `${raw.type} is not modelled` });
    }
  }

  private elseOf(raw: Raw): Block | null {
    const alt = field(raw, 'alternative');
    return alt ? this.block(field(alt, 'body')) : null;
  }

  /**
   * `a = b = value` lowers to one assignment with two targets. A line break between `=` and its
   * right side is a syntax error in Python that tree-sitter accepts (it reads a half-typed
   * `a =` and the next line as one chained assignment), so it lowers to an error statement.
   */
  private assignment(raw: Raw): Stmt {
    // Lists of the exact length, as every list of the lowered tree (see `args`): nearly every
    // assignment has one target.
    let targets: Expr[] = [];
    let cur: Raw | undefined = raw;
    while (cur?.type === 'assignment') {
      const left = field(cur, 'left');
      const right = field(cur, 'right');
      if (left && right && /(^|[^\\])\n/.test(this.text.slice(left.e, right.s))) return { t: 'error', s: raw.s, e: raw.e, what: 'syntax error' };
      targets = [...targets, this.expr(left)];
      if (!right) return { t: 'assign', s: raw.s, e: raw.e, targets, value: null };
      cur = right;
    }
    return { t: 'assign', s: raw.s, e: raw.e, targets, value: cur ? this.expr(cur) : null };
  }

  private def(raw: Raw, decorators: Expr[]): Stmt {
    const nameRaw = field(raw, 'name');
    const params = this.params(field(raw, 'parameters'));
    return { t: 'def', s: raw.s, e: raw.e, name: nameRaw ? this.src(nameRaw) : '', nameSpan: nameRaw ? span(nameRaw) : span(raw), params, body: this.block(field(raw, 'body')), decorators };
  }

  private params(raw: Raw | undefined): Param[] {
    if (!raw) return [];
    const out: Param[] = [];
    for (const p of raw.kids) {
      const sp: Span = p;
      switch (p.type) {
        case 'identifier':
          out.push({ kind: 'plain', name: this.src(p), s: sp.s, e: sp.e });
          break;
        case 'typed_parameter': {
          const inner = named(p).find((k) => k.field !== 'type');
          if (inner?.type === 'list_splat_pattern') out.push({ kind: 'star', name: this.src(named(inner)[0] ?? inner), s: sp.s, e: sp.e });
          else if (inner?.type === 'dictionary_splat_pattern') out.push({ kind: 'dstar', name: this.src(named(inner)[0] ?? inner), s: sp.s, e: sp.e });
          else if (inner) out.push({ kind: 'plain', name: this.src(inner), s: sp.s, e: sp.e });
          break;
        }
        case 'default_parameter':
        case 'typed_default_parameter':
          out.push({ kind: 'plain', name: this.src(field(p, 'name')!), default: this.expr(field(p, 'value')), s: sp.s, e: sp.e });
          break;
        case 'list_splat_pattern':
          out.push({ kind: 'star', name: this.src(named(p)[0] ?? p), s: sp.s, e: sp.e });
          break;
        case 'dictionary_splat_pattern':
          out.push({ kind: 'dstar', name: this.src(named(p)[0] ?? p), s: sp.s, e: sp.e });
          break;
        case 'keyword_separator':
        case 'positional_separator':
          out.push({ kind: 'separator', name: '', s: sp.s, e: sp.e });
          break;
        default:
          break;
      }
    }
    return out;
  }

  private exprList(items: readonly Raw[], sp: Span): Expr {
    if (items.length === 1 && items[0]!.type !== 'expression_list') return this.expr(items[0]);
    const flat = items.length === 1 ? named(items[0]!) : items;
    return { t: 'seq', kind: 'tuple', s: sp.s, e: sp.e, items: flat.map((x) => this.expr(x)) };
  }

  expr(raw: Raw | undefined): Expr {
    if (!raw) return { t: 'error', s: 0, e: 0, what: 'missing expression' };
    const sp: Span = raw;
    switch (raw.type) {
      case 'identifier':
        return { t: 'name', s: sp.s, e: sp.e, id: this.src(raw) };
      case 'integer':
        return this.integer(raw);
      case 'float': {
        const v = Number(this.src(raw).replace(/_/g, '').replace(/[jJ]$/, ''));
        return /[jJ]$/.test(this.src(raw)) ? { t: 'error', s: sp.s, e: sp.e, what: 'complex numbers are not modelled' } : { t: 'float', s: sp.s, e: sp.e, v };
      }
      case 'true':
      case 'false':
        return { t: 'bool', s: sp.s, e: sp.e, v: raw.type === 'true' };
      case 'none':
        return { t: 'none', s: sp.s, e: sp.e };
      case 'string':
        return this.string(raw);
      case 'concatenated_string': {
        const parts = named(raw).map((k) => this.string(k));
        if (parts.every((p) => p.t === 'str')) return { t: 'str', s: sp.s, e: sp.e, v: parts.map((p) => (p as { v: string }).v).join('') };
        const flat: (string | Expr)[] = [];
        for (const p of parts) {
          if (p.t === 'str') flat.push(p.v);
          else if (p.t === 'fstr') flat.push(...p.parts);
          else flat.push(p);
        }
        return { t: 'fstr', s: sp.s, e: sp.e, parts: flat };
      }
      case 'attribute': {
        const attr = field(raw, 'attribute');
        if (!attr) return { t: 'error', s: sp.s, e: sp.e, what: 'incomplete attribute access' };
        return { t: 'attr', s: sp.s, e: sp.e, obj: this.expr(field(raw, 'object')), name: this.src(attr) };
      }
      case 'call': {
        const argsRaw = field(raw, 'arguments');
        const fn = this.expr(field(raw, 'function'));
        if (argsRaw?.type === 'generator_expression') return { t: 'call', s: sp.s, e: sp.e, fn, args: [{ kind: 'pos', value: this.expr(argsRaw), s: argsRaw.s, e: argsRaw.e }] };
        return { t: 'call', s: sp.s, e: sp.e, fn, args: this.args(argsRaw) };
      }
      case 'subscript': {
        const subs = fields(raw, 'subscript');
        const index = subs.length === 1 ? this.expr(subs[0]) : { t: 'seq' as const, kind: 'tuple' as const, s: sp.s, e: sp.e, items: subs.map((x) => this.expr(x)) };
        return { t: 'subscript', s: sp.s, e: sp.e, obj: this.expr(field(raw, 'value')), index };
      }
      case 'slice':
        return { t: 'slice', s: sp.s, e: sp.e };
      case 'binary_operator':
        return { t: 'binop', s: sp.s, e: sp.e, op: this.src(field(raw, 'operator')!), l: this.expr(field(raw, 'left')), r: this.expr(field(raw, 'right')) };
      case 'unary_operator':
        return { t: 'unary', s: sp.s, e: sp.e, op: this.src(field(raw, 'operator')!), x: this.expr(field(raw, 'argument')) };
      case 'boolean_operator':
        return { t: 'boolop', s: sp.s, e: sp.e, op: this.src(field(raw, 'operator')!) as 'and' | 'or', l: this.expr(field(raw, 'left')), r: this.expr(field(raw, 'right')) };
      case 'not_operator':
        return { t: 'not', s: sp.s, e: sp.e, x: this.expr(field(raw, 'argument')) };
      case 'comparison_operator': {
        const xs: Expr[] = [];
        const ops: string[] = [];
        let pending = '';
        for (const k of raw.kids) {
          if (k.named) {
            if (pending) ops.push(pending);
            pending = '';
            xs.push(this.expr(k));
          } else pending = pending ? `${pending} ${k.type}` : k.type;
        }
        return { t: 'compare', s: sp.s, e: sp.e, ops, xs };
      }
      case 'conditional_expression': {
        const [body, test, orelse] = named(raw);
        return { t: 'cond', s: sp.s, e: sp.e, body: this.expr(body), test: this.expr(test), orelse: this.expr(orelse) };
      }
      case 'parenthesized_expression': {
        const inner = named(raw);
        return inner.length === 1 ? this.expr(inner[0]) : { t: 'error', s: sp.s, e: sp.e, what: 'empty parentheses' };
      }
      case 'tuple':
      case 'expression_list':
      case 'pattern_list':
      case 'tuple_pattern':
        return { t: 'seq', s: sp.s, e: sp.e, kind: 'tuple', items: named(raw).map((x) => this.expr(x)) };
      case 'list':
      case 'list_pattern':
        return { t: 'seq', s: sp.s, e: sp.e, kind: 'list', items: named(raw).map((x) => this.expr(x)) };
      case 'set':
        return { t: 'seq', s: sp.s, e: sp.e, kind: 'set', items: named(raw).map((x) => this.expr(x)) };
      case 'list_splat':
      case 'list_splat_pattern':
      case 'parenthesized_list_splat':
        return { t: 'star', s: sp.s, e: sp.e, x: this.expr(named(raw)[0]) };
      case 'dictionary': {
        const items: DictItem[] = named(raw).map((p) => (p.type === 'pair' ? { k: this.expr(field(p, 'key')), v: this.expr(field(p, 'value')) } : { splat: this.expr(named(p)[0]) }));
        return { t: 'dict', s: sp.s, e: sp.e, items };
      }
      case 'list_comprehension':
      case 'set_comprehension':
      case 'generator_expression':
      case 'dictionary_comprehension': {
        const kind = raw.type === 'list_comprehension' ? 'list' : raw.type === 'set_comprehension' ? 'set' : raw.type === 'dictionary_comprehension' ? 'dict' : 'gen';
        const bodyRaw = field(raw, 'body');
        const clauses: CompClause[] = [];
        for (const k of raw.kids) {
          if (k.type === 'for_in_clause') clauses.push({ kind: 'for', target: this.expr(field(k, 'left')), x: this.expr(fields(k, 'right').find((r) => r.named)) });
          else if (k.type === 'if_clause') clauses.push({ kind: 'if', x: this.expr(named(k)[0]) });
        }
        if (kind === 'dict' && bodyRaw?.type === 'pair') return { t: 'comp', s: sp.s, e: sp.e, kind, body: this.expr(field(bodyRaw, 'key')), value: this.expr(field(bodyRaw, 'value')), clauses };
        return { t: 'comp', s: sp.s, e: sp.e, kind, body: this.expr(bodyRaw), clauses };
      }
      case 'lambda': {
        const params = this.params(field(raw, 'parameters'));
        return { t: 'lambda', s: sp.s, e: sp.e, params, body: this.expr(field(raw, 'body')) };
      }
      case 'named_expression':
        return { t: 'walrus', s: sp.s, e: sp.e, name: this.src(field(raw, 'name')!), value: this.expr(field(raw, 'value')) };
      case 'keyword_argument':
        return { t: 'error', s: sp.s, e: sp.e, what: 'keyword argument outside a call' };
      case 'TOO_DEEP':
        return { t: 'error', s: sp.s, e: sp.e, what: `expression nested more than ${MAX_DEPTH} levels deep` };
      default:
        return { t: 'error', s: sp.s, e: sp.e, what: raw.type === 'ERROR' ? 'syntax error' : `${raw.type} is not modelled` };
    }
  }

  /**
   * A call's arguments, in a list of their exact length (`map`): the lowered tree lives through
   * the analysis, and a list grown by pushes from empty reserves room for 17.
   */
  private args(raw: Raw | undefined): Arg[] {
    if (!raw) return [];
    return named(raw).map((k) => this.arg(k));
  }

  private arg(k: Raw): Arg {
    const sp: Span = k;
    if (k.type === 'keyword_argument') {
      const name = field(k, 'name');
      return { kind: 'kw', name: name ? this.src(name) : '', value: this.expr(field(k, 'value')), s: sp.s, e: sp.e };
    }
    if (k.type === 'list_splat') return { kind: 'star', value: this.expr(named(k)[0]), s: sp.s, e: sp.e };
    if (k.type === 'dictionary_splat') return { kind: 'dstar', value: this.expr(named(k)[0]), s: sp.s, e: sp.e };
    return { kind: 'pos', value: this.expr(k), s: sp.s, e: sp.e };
  }

  private integer(raw: Raw): Expr {
    const text = this.src(raw);
    // Most integers are plain decimal digits: no underscores, prefix or suffix to strip.
    if (DECIMAL.test(text)) return { t: 'int', s: raw.s, e: raw.e, v: Number(text) };
    const clean = text.replace(/_/g, '').replace(/[lL]$/, '');
    let v: number;
    if (/^0[xX]/.test(clean)) v = parseInt(clean.slice(2), 16);
    else if (/^0[oO]/.test(clean)) v = parseInt(clean.slice(2), 8);
    else if (/^0[bB]/.test(clean)) v = parseInt(clean.slice(2), 2);
    else if (/[jJ]$/.test(clean)) return { t: 'error', s: raw.s, e: raw.e, what: 'complex numbers are not modelled' };
    else v = Number(clean);
    return { t: 'int', s: raw.s, e: raw.e, v };
  }

  private string(raw: Raw): Expr {
    const sp: Span = raw;
    if (raw.type !== 'string') return this.expr(raw);
    if (raw.kids.length === 0) return this.plainString(raw);
    // An f-string: its parts were read as children.
    const start = raw.kids.find((k) => k.type === 'string_start');
    const isRaw = start ? /r/i.test(this.src(start)) : false;
    const parts: (string | Expr)[] = [];
    for (const k of raw.kids) {
      if (k.type === 'string_content') parts.push(isRaw ? this.src(k) : unescape(this.src(k)));
      else if (k.type === 'interpolation') {
        const x = field(k, 'expression');
        parts.push(x ? this.expr(x) : { t: 'error', s: k.s, e: k.e, what: 'empty interpolation' });
      } else if (k.type === 'escape_interpolation') parts.push(this.src(k).slice(0, 1));
    }
    if (parts.every((p) => typeof p === 'string')) return { t: 'str', s: sp.s, e: sp.e, v: parts.join('') };
    return { t: 'fstr', s: sp.s, e: sp.e, parts };
  }

  /**
   * A string without interpolation, read from its text: prefix, quotes, escapes. Scanned in
   * place: a pattern's match, its groups and a copy of the literal cost more than the value.
   */
  private plainString(raw: Raw): Expr {
    const { text } = this;
    const { s, e } = raw;
    let i = s;
    let isRaw = false;
    let isBytes = false;
    for (; i < e; i++) {
      const c = text[i];
      if (c === 'r' || c === 'R') isRaw = true;
      else if (c === 'b' || c === 'B') isBytes = true;
      else if (c !== 'u' && c !== 'U') break;
    }
    const quote = text[i];
    if (i >= e || (quote !== '"' && quote !== "'")) return { t: 'error', s, e, what: 'unreadable string' };
    if (isBytes) return { t: 'error', s, e, what: 'bytes literals are not modelled' };
    const length = i + 2 < e && text[i + 1] === quote && text[i + 2] === quote ? 3 : 1;
    const from = i + length;
    // Closed when it ends with its quotes after them (an unterminated one runs to its end).
    let closed = e - from >= length;
    for (let k = 1; closed && k <= length; k++) closed = text[e - k] === quote;
    const body = text.slice(from, closed ? e - length : e);
    return { t: 'str', s, e, v: isRaw ? body : unescape(body) };
  }
}

/** An integer literal that `Number` reads as Python does (`0` or digits without a leading zero). */
const DECIMAL = /^(?:0|[1-9][0-9]*)$/;

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"', '0': '\0', a: '\x07', b: '\b', f: '\f', v: '\v', '\n': '' };

function unescape(s: string): string {
  if (!s.includes('\\')) return s;
  return s.replace(/\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|[\s\S])/g, (m, c: string) => {
    if (c.length > 1) return String.fromCodePoint(parseInt(c.slice(1), 16));
    return ESCAPES[c] ?? m;
  });
}
