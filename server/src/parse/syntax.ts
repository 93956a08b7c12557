// A compact syntax tree for the subset of Python that recipe scripts use, lowered from
// tree-sitter's concrete tree in one cursor walk (see lower.ts). Nodes carry UTF-16 offsets into
// the document (s = start, e = end); ranges are computed from them only when a value needs one.
//
// Anything outside the subset lowers to an `error` node that evaluates to an unknown value, so
// new syntax or a half-typed line never stops the analysis.

export interface Span {
  s: number;
  e: number;
}

export type Expr =
  | (Span & { t: 'name'; id: string })
  | (Span & { t: 'int'; v: number })
  | (Span & { t: 'float'; v: number })
  | (Span & { t: 'str'; v: string })
  | (Span & { t: 'fstr'; parts: (string | Expr)[] })
  | (Span & { t: 'bool'; v: boolean })
  | (Span & { t: 'none' })
  | (Span & { t: 'attr'; obj: Expr; name: string })
  | (Span & { t: 'call'; fn: Expr; args: Arg[] })
  | (Span & { t: 'subscript'; obj: Expr; index: Expr })
  | (Span & { t: 'slice' })
  | (Span & { t: 'binop'; op: string; l: Expr; r: Expr })
  | (Span & { t: 'unary'; op: string; x: Expr })
  | (Span & { t: 'boolop'; op: 'and' | 'or'; l: Expr; r: Expr })
  | (Span & { t: 'not'; x: Expr })
  | (Span & { t: 'compare'; ops: string[]; xs: Expr[] })
  | (Span & { t: 'cond'; body: Expr; test: Expr; orelse: Expr })
  | (Span & { t: 'seq'; kind: 'tuple' | 'list' | 'set'; items: Expr[] })
  | (Span & { t: 'star'; x: Expr })
  | (Span & { t: 'dict'; items: DictItem[] })
  | (Span & { t: 'comp'; kind: 'list' | 'set' | 'dict' | 'gen'; body: Expr; value?: Expr; clauses: CompClause[] })
  | (Span & { t: 'lambda'; params: Param[]; body: Expr })
  | (Span & { t: 'walrus'; name: string; value: Expr })
  | (Span & { t: 'error'; what: string });

export type DictItem = { k: Expr; v: Expr } | { splat: Expr };

export interface CompClause {
  kind: 'for' | 'if';
  target?: Expr;
  x: Expr;
}

export interface Arg extends Span {
  kind: 'pos' | 'star' | 'kw' | 'dstar';
  name?: string;
  value: Expr;
}

export interface Param extends Span {
  kind: 'plain' | 'star' | 'dstar' | 'separator';
  name: string;
  default?: Expr;
}

export type Stmt =
  | (Span & { t: 'expr'; x: Expr })
  | (Span & { t: 'assign'; targets: Expr[]; value: Expr | null })
  | (Span & { t: 'augassign'; target: Expr; op: string; value: Expr })
  | (Span & { t: 'import'; names: { path: string; alias?: string; span: Span }[] })
  | (Span & { t: 'from'; module: string; level: number; names: { name: string; alias?: string; span: Span }[] | '*' })
  | (Span & { t: 'if'; branches: { test: Expr; body: Block }[]; orelse: Block | null })
  | (Span & { t: 'for'; target: Expr; iter: Expr; body: Block; orelse: Block | null })
  | (Span & { t: 'while'; test: Expr; body: Block; orelse: Block | null })
  | (Span & { t: 'try'; body: Block; handlers: Block[]; orelse: Block | null; final: Block | null })
  | (Span & { t: 'with'; items: { ctx: Expr; target?: Expr }[]; body: Block })
  | (Span & { t: 'def'; name: string; nameSpan: Span; params: Param[]; body: Block; decorators: Expr[] })
  | (Span & { t: 'class'; name: string })
  | (Span & { t: 'return'; value: Expr | null })
  | (Span & { t: 'raise' })
  | (Span & { t: 'pass' })
  | (Span & { t: 'break' })
  | (Span & { t: 'continue' })
  | (Span & { t: 'global'; names: string[] })
  | (Span & { t: 'del'; targets: Expr[] })
  | (Span & { t: 'error'; what: string });

/** A statement list; function bodies are lowered on first use (most helpers are never called). */
export interface Block {
  readonly stmts: readonly Stmt[];
  /**
   * A body lowered on demand: its statements for one run, which the first run may get lowered as
   * it reaches them, and not kept (see lower.ts). Absent: `stmts`.
   */
  once?(): Iterable<Stmt>;
}
