// The abstract interpreter: runs a lowered Python module over abstract values. It never executes
// user code and never throws on user input; what it cannot model becomes an unknown value with a
// reason. Only a step budget (BudgetExceeded) stops it, and the caller turns that into "no result".
import { OffsetRange, type LineIndex, type Range } from '../parse/positions';
import type { Block, Expr, Param, Span, Stmt } from '../parse/syntax';
import { builtinMethod, builtins, dictChanged, listIndex } from './builtins';
import { classMember, type Library } from './library';
import { Merger } from './merge';
import { environmentSet } from './stdlib';
import { bindFields, newObject } from './objects';
import { binaryOp, boolValue, compare, derived, unaryOp } from './operators';
import { State, type BranchOutcome, type Launch } from './state';
import { fromLiteral } from './tree';
import type { Surroundings } from './surroundings';
import {
  assignedAt,
  recordsAssignment,
  bool,
  describe,
  float,
  int,
  literal,
  none,
  sameValue,
  Scope,
  str,
  truthiness,
  unknown,
  type CallArgs,
  type CallRewrite,
  type Problem,
  type CallContext,
  type DictValue,
  type FunctionValue,
  type ListValue,
  type ModuleValue,
  type ObjectValue,
  type Provenance,
  type Value,
} from './values';
import { own } from '../catalog/own';

/** How a statement list ended. `raise` marks a path that cannot continue. */
type Completion = 'normal' | 'return' | 'break' | 'continue' | 'raise';

interface Frame {
  scope: Scope;
  returns: Value[];
  globals: Set<string>;
}

export interface EvaluateOptions {
  /** Work units before the analysis is abandoned (guards against pathological input). */
  maxSteps?: number;
  /** Calls deeper than this return an unknown value (recursion). */
  maxCallDepth?: number;
  /** Loops over known sequences longer than this are not unrolled. */
  maxUnroll?: number;
  /** Facts the host found around the file (Bridge version, Hugging Face configs, launch scripts). */
  surroundings?: Surroundings;
}

export interface Evaluation {
  globals: Scope;
  problems: Problem[];
  launches: Launch[];
  /** Objects returned by functions that nothing in the file calls (CLI factories and the like). */
  entryResults: { name: string; value: Value; range: Range }[];
  steps: number;
}

const DEFAULTS: Required<EvaluateOptions> = { maxSteps: 2_000_000, maxCallDepth: 24, maxUnroll: 256, surroundings: {} };

export class Interpreter implements CallContext {
  readonly state: State;
  private readonly options: Required<EvaluateOptions>;
  private readonly module: Scope;
  private readonly frames: Frame[] = [];
  /** How many times each function (by its definition's offset) was called. */
  private readonly called = new Map<number, number>();
  private readonly defined: FunctionValue[] = [];
  private readonly builtinScope: ReadonlyMap<string, Value>;
  readonly problems: Problem[] = [];
  readonly environ: DictValue;

  constructor(
    private readonly lines: LineIndex,
    readonly library: Library,
    options: EvaluateOptions = {},
  ) {
    // Field by field: spreading the caller's options (analysis options, with much besides) showed in profiles.
    this.options = {
      maxSteps: options.maxSteps ?? DEFAULTS.maxSteps,
      maxCallDepth: options.maxCallDepth ?? DEFAULTS.maxCallDepth,
      maxUnroll: options.maxUnroll ?? DEFAULTS.maxUnroll,
      surroundings: options.surroundings ?? DEFAULTS.surroundings,
    };
    this.state = new State(this.options.maxSteps);
    this.module = new Scope(null, this.state.newId());
    // Made before any branch, so that a branch's writes to it are recorded and undone.
    this.environ = { kind: 'dict', id: this.state.newId(), entries: new Map(), prov: literal(null, 'os.environ') };
    this.builtinScope = builtins();
    this.module.vars.set('__name__', str('__main__', literal(null, 'the script run as __main__')));
  }

  get surroundings(): Surroundings {
    return this.options.surroundings;
  }

  problem(range: Range, message: string, rewrite?: CallRewrite): void {
    // A function body evaluated once per call reports its problem once.
    const same = (p: { range: Range; message: string }) => p.message === message && p.range.start.line === range.start.line && p.range.start.character === range.start.character;
    if (!this.problems.some(same)) this.problems.push({ range, message, ...(rewrite ? { rewrite } : {}) });
  }

  range(span: Span): Range {
    return new OffsetRange(this.lines, span.s, span.e);
  }

  /** `assignedAt` for a target, a keyword or a dictionary key, its range worked out only where it is kept. */
  private storedAt(v: Value, span: Span): Value {
    return recordsAssignment(v) ? assignedAt(v, this.range(span)) : v;
  }

  lineOf(span: Span): number {
    return this.lines.positionAt(span.s).line + 1;
  }

  run(statements: Iterable<Stmt>): Evaluation {
    this.frames.push({ scope: this.module, returns: [], globals: new Set() });
    this.execBlock(statements);
    const entryResults = this.runEntryFunctions();
    return { globals: this.module, problems: this.problems, launches: this.state.launches, entryResults, steps: this.state.stepsTaken };
  }

  /**
   * Functions defined at module level that nothing calls and that take no required argument are
   * run once, on their own, as a CLI would (`run.cli.main(..., default_factory=fn)`, `@run.cli.factory`).
   * Their writes to module state are undone; the jobs they build or launch are kept. What one
   * returns is dropped if another entry function turns out to call it too: it was not an entry.
   */
  private runEntryFunctions(): { name: string; value: Value; range: Range }[] {
    const results: { fn: FunctionValue; name: string; value: Value; range: Range }[] = [];
    for (const fn of this.defined) {
      if (this.called.has(fn.node.s)) continue;
      const params = fn.node.params.filter((p) => p.kind === 'plain');
      if (params.some((p) => !p.default)) continue;
      this.state.beginBranch();
      const value = this.callValue(fn, { args: [], kwargs: new Map(), range: this.range(fn.node) });
      const outcome = this.state.endBranch();
      for (const l of outcome.launches) this.state.launch(l);
      results.push({ fn, name: fn.name, value, range: this.range(fn.node) });
    }
    return results.filter((r) => this.called.get(r.fn.node.s) === 1).map(({ name, value, range }) => ({ name, value, range }));
  }

  // ----- statements ---------------------------------------------------------------------------

  private get frame(): Frame {
    return this.frames[this.frames.length - 1]!;
  }

  execBlock(stmts: Iterable<Stmt>): Completion {
    for (const s of stmts) {
      const c = this.exec(s);
      if (c !== 'normal') return c;
    }
    return 'normal';
  }

  private exec(s: Stmt): Completion {
    this.state.tick();
    switch (s.t) {
      case 'expr':
        return this.isExit(s.x) ? 'raise' : (this.eval(s.x), 'normal');
      case 'assign': {
        const value = s.value ? this.eval(s.value) : unknown('incomplete assignment', this.range(s));
        for (const target of s.targets) this.assign(target, value);
        return 'normal';
      }
      case 'augassign': {
        const current = this.eval(s.target);
        this.assign(s.target, binaryOp(s.op, current, this.eval(s.value), this.range(s)));
        return 'normal';
      }
      case 'import':
        for (const n of s.names) {
          if (n.alias) this.bind(n.alias, this.moduleValue(n.path, n.span));
          else {
            const top = n.path.split('.')[0]!;
            this.bind(top, this.moduleValue(top, n.span));
          }
        }
        return 'normal';
      case 'from':
        if (s.names === '*') return 'normal';
        for (const n of s.names) {
          const base = s.level > 0 ? `.${s.module}` : s.module;
          this.bind(n.alias ?? n.name, this.moduleValue(`${base}.${n.name}`, n.span));
        }
        return 'normal';
      case 'def':
        this.define(s);
        return 'normal';
      case 'class':
        this.bind(s.name, unknown(`class ${s.name} is defined in the file; classes are not modelled`, this.range(s)));
        return 'normal';
      case 'if':
        return this.execIf(s.branches, 0, s.orelse);
      case 'for':
        return this.execFor(s);
      case 'while':
        return this.execWhile(s);
      case 'try': {
        const c = this.execBlock(s.body.stmts);
        if (c === 'raise' && s.handlers.length) {
          const h = this.execBlock(s.handlers[0]!.stmts);
          return s.final ? this.sequence(h, s.final) : h;
        }
        const afterBody = c === 'normal' && s.orelse ? this.execBlock(s.orelse.stmts) : c;
        return s.final ? this.sequence(afterBody, s.final) : afterBody;
      }
      case 'with':
        for (const item of s.items) {
          const ctx = this.eval(item.ctx);
          if (item.target) this.assign(item.target, ctx);
        }
        return this.execBlock(s.body.stmts);
      case 'return':
        this.frame.returns.push(s.value ? this.eval(s.value) : none(literal(this.range(s), 'implicit None')));
        return 'return';
      case 'raise':
        return 'raise';
      case 'break':
        return 'break';
      case 'continue':
        return 'continue';
      case 'global':
        for (const n of s.names) this.frame.globals.add(n);
        return 'normal';
      case 'del':
        for (const t of s.targets) this.delete(t);
        return 'normal';
      case 'pass':
        return 'normal';
      case 'error':
        this.recover(s);
        return 'normal';
    }
  }

  /**
   * A statement the evaluator cannot read (a syntax error, or syntax it does not model) may still
   * write: its assignment targets become unknown, and objects it passes to a call become opaque.
   * Its text is scanned, since its tree cannot be trusted.
   */
  private recover(s: Extract<Stmt, { t: 'error' }>): void {
    const text = this.lines.text.slice(s.s, s.e);
    const reason = `line ${this.lineOf(s)} ${s.what === 'syntax error' ? 'has a syntax error' : `cannot be analysed (${s.what})`}`;
    const range = this.range(s);
    for (const m of text.matchAll(ASSIGNMENT_TARGET)) {
      const parts = m[1]!.split('.').map((p) => p.trim());
      if (parts.length === 1) {
        this.bind(parts[0]!, unknown(reason, range));
        continue;
      }
      let owner = this.frame.scope.lookup(parts[0]!) ?? this.module.vars.get(parts[0]!);
      for (const p of parts.slice(1, -1)) owner = owner?.kind === 'object' ? owner.attrs.get(p) : undefined;
      if (owner?.kind === 'object') this.state.write({ kind: 'attr', obj: owner, name: parts[parts.length - 1]! }, unknown(reason, range));
    }
    const firstParen = text.indexOf('(');
    if (firstParen === -1) return;
    const seen = new Set<number>();
    for (const m of text.slice(firstParen).matchAll(IDENTIFIER)) {
      const v = this.frame.scope.lookup(m[0]) ?? this.module.vars.get(m[0]);
      if (v) this.makeOpaque(v, `a call on line ${this.lineOf(s)}, which has a syntax error`, range, seen);
    }
  }

  /** `finally` runs whatever happened; its own abrupt completion wins. */
  private sequence(first: Completion, final: Block): Completion {
    const c = this.execBlock(final.stmts);
    return c === 'normal' ? first : c;
  }

  /** `sys.exit()`, `exit()`, `parser.error(...)` end the path like `raise` does. */
  private isExit(x: Expr): boolean {
    if (x.t !== 'call') return false;
    const fn = x.fn;
    const name = fn.t === 'name' ? fn.id : fn.t === 'attr' ? fn.name : '';
    if (name === 'exit' || name === 'quit') return true;
    if (fn.t === 'attr' && name === 'error') {
      const owner = this.eval(fn.obj);
      return owner.kind === 'object' && owner.cls === 'argparse.ArgumentParser';
    }
    return false;
  }

  private execIf(branches: { test: Expr; body: Block }[], i: number, orelse: Block | null): Completion {
    if (i >= branches.length) return orelse ? this.execBlock(orelse.stmts) : 'normal';
    const { test, body } = branches[i]!;
    const cond = this.eval(test);
    const t = truthiness(cond);
    if (t === true) return this.execBlock(body.stmts);
    if (t === false) return this.execIf(branches, i + 1, orelse);
    const why = cond.kind === 'unknown' ? cond.reason : `${describe(cond)} cannot be decided`;
    return this.fork(`depends on the condition on line ${this.lineOf(test)} (${why})`, [
      () => this.execBlock(body.stmts),
      () => this.execIf(branches, i + 1, orelse),
    ]);
  }

  /**
   * Runs alternative paths from the same state and merges what they leave. Paths that raise are
   * dropped (the program cannot continue on them). A return on some path is kept as a possible
   * result of the function and the merged state continues.
   */
  private fork(reason: string, paths: (() => Completion)[]): Completion {
    const outcomes: { c: Completion; o: BranchOutcome }[] = [];
    for (const path of paths) {
      this.state.beginBranch();
      const c = path();
      outcomes.push({ c, o: this.state.endBranch() });
    }
    const live = outcomes.filter((x) => x.c !== 'raise');
    if (live.length === 0) return 'raise';
    const merger = new Merger(this.state, reason);
    this.state.applyMerged(
      live.map((x) => x.o),
      (values, slot) => merger.mergeSlot(values, slot),
    );
    const first = live[0]!.c;
    return live.every((x) => x.c === first) && first !== 'break' && first !== 'continue' ? first : 'normal';
  }

  private execFor(s: Extract<Stmt, { t: 'for' }>): Completion {
    const iterable = this.eval(s.iter);
    const items = this.iterate(iterable);
    if (items && items.length <= this.options.maxUnroll && !jumpsOut(s.body.stmts)) {
      for (const item of items) {
        this.assign(s.target, item);
        const c = this.execBlock(s.body.stmts);
        if (c !== 'normal') return c;
      }
      return s.orelse ? this.execBlock(s.orelse.stmts) : 'normal';
    }
    const why = items ? `a loop on line ${this.lineOf(s)} that is not unrolled` : `the loop on line ${this.lineOf(s)} (over ${iterable.kind === 'unknown' ? 'an unknown sequence' : describe(iterable)})`;
    return this.loopOnce(why, () => {
      this.assign(s.target, unknown(`loop variable of the loop on line ${this.lineOf(s)}`, this.range(s.target)));
      return this.execBlock(s.body.stmts);
    });
  }

  private execWhile(s: Extract<Stmt, { t: 'while' }>): Completion {
    if (truthiness(this.eval(s.test)) === false) return s.orelse ? this.execBlock(s.orelse.stmts) : 'normal';
    return this.loopOnce(`the while loop on line ${this.lineOf(s)}`, () => this.execBlock(s.body.stmts));
  }

  /** A loop the evaluator does not unroll: its body may run zero or more times. */
  private loopOnce(reason: string, body: () => Completion): Completion {
    const c = this.fork(`depends on ${reason}`, [body, () => 'normal']);
    return c === 'return' ? 'normal' : c;
  }

  private iterate(v: Value): Value[] | undefined {
    switch (v.kind) {
      case 'list':
      case 'tuple':
        return Array.isArray(v.items) ? v.items : undefined;
      case 'dict':
        return v.unlisted ? undefined : [...v.entries.keys()].map((k) => str(k, literal(null)));
      case 'str':
        return v.value.length <= this.options.maxUnroll ? [...v.value].map((c) => str(c, v.prov)) : undefined;
      default:
        return undefined;
    }
  }

  private define(s: Extract<Stmt, { t: 'def' }>): void {
    const defaults = new Map<string, Value>();
    for (const p of s.params) if (p.default) defaults.set(p.name, this.eval(p.default));
    const fn: FunctionValue = { kind: 'function', name: s.name, node: s, defaults, closure: this.frame.scope, prov: literal(this.range(s.nameSpan), `function ${s.name}`) };
    let value: Value = fn;
    for (const d of [...s.decorators].reverse()) value = this.decorate(d, value);
    if (this.frame.scope === this.module) this.defined.push(fn);
    this.bind(s.name, value);
  }

  /** Decorators are applied when the library models them; others keep the function as written. */
  private decorate(d: Expr, fn: Value): Value {
    const decorator = this.eval(d);
    if (decorator.kind === 'native') return this.callValue(decorator, { args: [fn], kwargs: new Map(), range: this.range(d) });
    return fn;
  }

  // ----- binding ------------------------------------------------------------------------------

  private targetScope(name: string): Scope {
    return this.frame.globals.has(name) ? this.module : this.frame.scope;
  }

  bind(name: string, value: Value): void {
    this.state.write({ kind: 'var', scope: this.targetScope(name), name }, value);
  }

  private assign(target: Expr, value: Value): void {
    switch (target.t) {
      case 'name':
        this.bind(target.id, this.storedAt(value, target));
        return;
      case 'attr': {
        const obj = this.eval(target.obj);
        if (obj.kind === 'object') this.state.write({ kind: 'attr', obj, name: target.name }, this.storedAt(value, target));
        return;
      }
      case 'subscript': {
        const obj = this.eval(target.obj);
        const key = this.eval(target.index);
        if (obj.kind === 'dict') {
          if (key.kind === 'str') this.state.write({ kind: 'entry', dict: obj, key: key.value }, this.storedAt(value, target));
          else this.makeDictUnknown(obj, `a key that is not a known string is assigned on line ${this.lineOf(target)}`);
        } else if (obj.kind === 'list' && Array.isArray(obj.items)) {
          const i = listIndex(obj.items.length, key);
          const items = [...obj.items];
          if (i >= 0) items[i] = this.storedAt(value, target);
          else items.fill(unknown(`an unknown index is assigned on line ${this.lineOf(target)}`));
          this.state.write({ kind: 'items', list: obj }, items);
        } else if (obj.kind === 'object' && key.kind === 'str') {
          this.state.write({ kind: 'attr', obj, name: key.value }, this.storedAt(value, target));
        } else if (obj.kind === 'module' && obj.path === 'os.environ') {
          if (key.kind === 'str') this.state.write({ kind: 'entry', dict: this.environ, key: key.value }, this.storedAt(value, target));
          else this.makeDictUnknown(this.environ, `an environment variable whose name is not known is set on line ${this.lineOf(target)}`);
        }
        return;
      }
      case 'seq': {
        const items = value.kind === 'list' || value.kind === 'tuple' ? value.items : undefined;
        const starAt = target.items.findIndex((t) => t.t === 'star');
        target.items.forEach((t, i) => {
          if (t.t === 'star') return this.assign(t.x, unknown('starred assignment is not modelled', this.range(target)));
          if (items && !Array.isArray(items)) return this.assign(t, items);
          const item = items && starAt === -1 && items.length === target.items.length ? items[i]! : unknown(value.kind === 'unknown' ? value.reason : `unpacking ${describe(value)} is not modelled`, this.range(target));
          this.assign(t, item);
        });
        return;
      }
      case 'star':
        return this.assign(target.x, unknown('starred assignment is not modelled', this.range(target)));
      default:
        return;
    }
  }

  /** `del name`, `del obj.attr`, `del d[key]`, `del items[i]`. */
  private delete(t: Expr): void {
    if (t.t === 'name') this.state.write({ kind: 'var', scope: this.targetScope(t.id), name: t.id }, undefined);
    else if (t.t === 'seq') for (const x of t.items) this.delete(x);
    else if (t.t === 'attr') {
      // A configuration object's argument deleted falls back to its default.
      const obj = this.eval(t.obj);
      if (obj.kind === 'object') this.state.write({ kind: 'attr', obj, name: t.name }, undefined);
    } else if (t.t === 'subscript') {
      const obj = this.eval(t.obj);
      const key = this.eval(t.index);
      const line = this.lineOf(t);
      if (obj.kind === 'dict') {
        if (key.kind === 'str') this.state.write({ kind: 'entry', dict: obj, key: key.value }, undefined);
        else this.makeDictUnknown(obj, `a key that is not a known string is deleted on line ${line}`);
      } else if (obj.kind === 'list' && Array.isArray(obj.items)) {
        const i = listIndex(obj.items.length, key);
        this.state.write({ kind: 'items', list: obj }, i >= 0 ? obj.items.filter((_, j) => j !== i) : unknown(`an item is deleted at an index not known on line ${line}`));
      } else if (obj.kind === 'object' && key.kind === 'str') this.state.write({ kind: 'attr', obj, name: key.value }, undefined);
    }
  }

  private makeDictUnknown(d: DictValue, reason: string): void {
    dictChanged(this.state, d, unknown(reason));
  }

  private moduleValue(path: string, span: Span): Value {
    return this.library.resolve(path) ?? { kind: 'module', path, prov: literal(this.range(span), `imported ${path}`) };
  }

  // ----- expressions --------------------------------------------------------------------------

  eval(e: Expr): Value {
    this.state.tick();
    switch (e.t) {
      case 'int': {
        if (Number.isSafeInteger(e.v)) return int(e.v, literal(this.range(e)));
        const digits = this.text(e);
        return unknown(`the integer ${digits.length > 20 ? digits.slice(0, 20) + '...' : digits} is too large to analyse exactly`, this.range(e));
      }
      case 'float':
        return float(e.v, literal(this.range(e)));
      case 'str':
        return str(e.v, literal(this.range(e)));
      case 'fstr':
        return this.fstring(e);
      case 'bool':
        return bool(e.v, literal(this.range(e)));
      case 'none':
        return none(literal(this.range(e)));
      case 'name':
        return this.lookup(e);
      case 'attr':
        return this.attribute(this.eval(e.obj), e);
      case 'call':
        return this.evalCall(e);
      case 'subscript':
        return this.subscript(this.eval(e.obj), this.eval(e.index), this.range(e));
      case 'binop':
        return binaryOp(e.op, this.eval(e.l), this.eval(e.r), this.range(e));
      case 'unary':
        return unaryOp(e.op, this.eval(e.x), this.range(e));
      case 'not': {
        const x = this.eval(e.x);
        const t = truthiness(x);
        return t === undefined ? unknown(x.kind === 'unknown' ? x.reason : 'truth value not known', this.range(e)) : boolValue(!t, this.range(e), [x], `not ${describe(x)}`);
      }
      case 'boolop':
        return this.boolOp(e);
      case 'compare':
        return this.compareChain(e);
      case 'cond': {
        const test = this.eval(e.test);
        const t = truthiness(test);
        if (t === true) return this.eval(e.body);
        if (t === false) return this.eval(e.orelse);
        return this.mergeExprs(`depends on the condition on line ${this.lineOf(e.test)} (${test.kind === 'unknown' ? test.reason : describe(test)})`, [e.body, e.orelse]);
      }
      case 'seq': {
        const items: Value[] = [];
        for (const x of e.items) {
          if (x.t === 'star') {
            const inner = this.eval(x.x);
            const spread = this.iterate(inner);
            if (!spread) return unknown(`unpacking ${describe(inner)} is not modelled`, this.range(x));
            items.push(...spread);
          } else items.push(this.eval(x));
        }
        const kind = e.kind === 'tuple' ? 'tuple' : 'list';
        if (e.kind === 'set') return unknown('sets are not modelled', this.range(e));
        return { kind, id: this.state.newId(), items, prov: literal(this.range(e)) } as ListValue;
      }
      case 'dict': {
        const d: DictValue = { kind: 'dict', id: this.state.newId(), entries: new Map(), prov: literal(this.range(e)) };
        for (const item of e.items) {
          if ('splat' in item) {
            const inner = this.eval(item.splat);
            if (inner.kind !== 'dict') return unknown(`unpacking ${inner.kind === 'unknown' ? inner.reason : describe(inner)} is not modelled`, this.range(e));
            for (const [k, v] of inner.entries) d.entries.set(k, v);
            // Keys it may have unlisted may replace the ones before it.
            if (inner.unlisted) {
              for (const k of d.entries.keys()) if (!inner.entries.has(k)) d.entries.set(k, inner.unlisted);
              d.unlisted = inner.unlisted;
            }
          } else {
            const k = this.eval(item.k);
            if (k.kind !== 'str') return unknown('dictionaries with keys that are not known strings are not modelled', this.range(e));
            d.entries.set(k.value, this.storedAt(this.eval(item.v), item.k));
          }
        }
        return d;
      }
      case 'comp':
        return this.comprehension(e);
      case 'lambda':
        return this.lambda(e);
      case 'walrus': {
        const v = this.eval(e.value);
        this.bind(e.name, v);
        return v;
      }
      case 'star':
        return unknown('starred expression outside a call', this.range(e));
      case 'slice':
        return unknown('slices are not modelled', this.range(e));
      case 'error':
        return unknown(e.what, this.range(e));
    }
  }

  private lookup(e: Extract<Expr, { t: 'name' }>): Value {
    const v = this.frame.scope.lookup(e.id) ?? (this.frame.globals.has(e.id) ? this.module.vars.get(e.id) : undefined) ?? this.module.vars.get(e.id) ?? this.builtinScope.get(e.id);
    return v ?? unknown(`the name ${e.id} is not defined here`, this.range(e));
  }

  private fstring(e: Extract<Expr, { t: 'fstr' }>): Value {
    let out = '';
    for (const p of e.parts) {
      if (typeof p === 'string') out += p;
      else {
        const v = this.eval(p);
        if (v.kind === 'str') out += v.value;
        else if (v.kind === 'int' || v.kind === 'float' || v.kind === 'bool' || v.kind === 'none') out += describe(v);
        else return unknown(v.kind === 'unknown' ? v.reason : 'formatted value not modelled', this.range(e));
      }
    }
    return str(out, derived(this.range(e), [], 'formatted string'));
  }

  private boolOp(e: Extract<Expr, { t: 'boolop' }>): Value {
    const l = this.eval(e.l);
    const t = truthiness(l);
    if (t !== undefined) return (e.op === 'and') === t ? this.eval(e.r) : l;
    // The left side is unknown: the result is the right side only if both outcomes agree.
    const r = this.eval(e.r);
    return sameValue(l, r) ? l : unknown(l.kind === 'unknown' ? l.reason : `${describe(l)} ${e.op} ...`, this.range(e));
  }

  private compareChain(e: Extract<Expr, { t: 'compare' }>): Value {
    const values = e.xs.map((x) => this.eval(x));
    for (let i = 0; i < e.ops.length; i++) {
      const r = compare(e.ops[i]!, values[i]!, values[i + 1]!);
      if (r === undefined) {
        const u = [values[i]!, values[i + 1]!].find((v) => v.kind === 'unknown');
        return unknown(u && u.kind === 'unknown' ? u.reason : `the comparison ${describe(values[i]!)} ${e.ops[i]} ${describe(values[i + 1]!)} cannot be decided`, this.range(e));
      }
      if (!r) return boolValue(false, this.range(e), values, 'comparison');
    }
    return boolValue(true, this.range(e), values, 'comparison');
  }

  /** Evaluates alternative expressions and keeps the result only if all agree. */
  private mergeExprs(reason: string, exprs: Expr[]): Value {
    const values = exprs.map((x) => this.eval(x));
    return new Merger(this.state, reason).merge(values) as Value;
  }

  private comprehension(e: Extract<Expr, { t: 'comp' }>): Value {
    const scope = new Scope(this.frame.scope, this.state.newId());
    const out: Value[] = [];
    const entries = new Map<string, Value>();
    const frame: Frame = { scope, returns: [], globals: this.frame.globals };
    this.frames.push(frame);
    try {
      const step = (i: number): string | undefined => {
        if (i === e.clauses.length) {
          if (e.kind === 'dict') {
            const k = this.eval(e.body);
            if (k.kind !== 'str') return 'dictionary comprehension keys are not known strings';
            entries.set(k.value, this.eval(e.value!));
          } else out.push(this.eval(e.body));
          return undefined;
        }
        const c = e.clauses[i]!;
        if (c.kind === 'if') {
          const t = truthiness(this.eval(c.x));
          if (t === undefined) return 'a comprehension condition is unknown';
          return t ? step(i + 1) : undefined;
        }
        const items = this.iterate(this.eval(c.x));
        if (!items || items.length > this.options.maxUnroll) return 'a comprehension over an unknown or long sequence';
        for (const item of items) {
          this.assign(c.target!, item);
          const why = step(i + 1);
          if (why) return why;
        }
        return undefined;
      };
      const why = step(0);
      if (why) return unknown(why, this.range(e));
    } finally {
      this.frames.pop();
    }
    if (e.kind === 'dict') return { kind: 'dict', id: this.state.newId(), entries, prov: literal(this.range(e)) };
    if (e.kind === 'set') return unknown('sets are not modelled', this.range(e));
    return { kind: e.kind === 'gen' ? 'tuple' : 'list', id: this.state.newId(), items: out, prov: literal(this.range(e)) };
  }

  private lambda(e: Extract<Expr, { t: 'lambda' }>): Value {
    const defaults = new Map<string, Value>();
    for (const p of e.params) if (p.default) defaults.set(p.name, this.eval(p.default));
    const body: Stmt = { t: 'return', s: e.body.s, e: e.body.e, value: e.body };
    const node: Extract<Stmt, { t: 'def' }> = { t: 'def', s: e.s, e: e.e, name: '<lambda>', nameSpan: e, params: e.params, body: { stmts: [body] }, decorators: [] };
    return { kind: 'function', name: '<lambda>', node, defaults, closure: this.frame.scope, prov: literal(this.range(e), 'lambda') };
  }

  // ----- attributes and subscripts ------------------------------------------------------------

  getAttr(obj: Value, name: string, range: Range): Value {
    switch (obj.kind) {
      case 'unknown':
        return obj;
      case 'module':
        return this.member(obj, name);
      case 'object': {
        const held = obj.attrs.get(name);
        if (held !== undefined) return held;
        const model = this.library.classModel(obj.cls);
        const member = model && classMember(model, name);
        if (member?.method) return { kind: 'native', name: `${obj.cls}.${name}`, call: member.method, self: obj, prov: literal(range) };
        if (obj.opaque) return unknown(`${obj.cls}.${name} may have been changed by ${obj.opaque.reason}`, obj.opaque.range);
        if (member) return this.classDefault(obj, name, member.fallback, model!.source);
        return unknown(model ? `${obj.cls}.${name} is not modelled` : `${obj.cls} is not modelled`, range);
      }
      case 'class': {
        // Class methods and static methods: `AutoBridge.from_hf_pretrained(...)`. An instance's
        // method read from its class (`argparse.ArgumentParser.add_argument`) is not modelled:
        // called so, its first argument would be the instance.
        const method = own(this.library.classModel(obj.name)?.classMethods, name);
        if (method) return { kind: 'native', name: `${obj.name}.${name}`, call: method, self: obj, prov: literal(range) };
        return unknown(`${obj.name}.${name} is not modelled`, range);
      }
      default: {
        const method = builtinMethod(obj, name);
        if (method) return { kind: 'native', name: `${obj.kind}.${name}`, call: method, self: obj, prov: literal(range) };
        return unknown(`${describe(obj)}.${name} is not modelled`, range);
      }
    }
  }

  private member(module: ModuleValue, name: string): Value {
    const { path, value } = this.library.member(module.path, name);
    return value ?? { kind: 'module', path, prov: { ...module.prov, detail: `imported ${path}` } };
  }

  private classDefault(obj: ObjectValue, name: string, value: import('./library').Literal, source: string): Value {
    // An object a recipe factory built keeps the class default where the recipe leaves it: that
    // value is what the recipe gives, and is changed by an override after the recipe is made.
    const details = defaultDetails(obj.cls, name, source);
    const { source: from, range, assignedAt, inputs } = obj.prov;
    if (from !== 'recipe-default') return fromLiteral(this.state, value, { source: 'class-default', range, detail: details.plain });
    // Built field by field: a spread of the object's provenance showed in profiles (a plan reads
    // some forty defaults of each job).
    const prov: Provenance = { source: from, range, detail: details.kept };
    if (assignedAt) prov.assignedAt = assignedAt;
    if (inputs) prov.inputs = inputs;
    return fromLiteral(this.state, value, prov);
  }

  private subscript(obj: Value, key: Value, range: Range): Value {
    if (obj.kind === 'unknown') return obj;
    if (key.kind === 'unknown') return key;
    if (obj.kind === 'module' && obj.path === 'os.environ') {
      const set = key.kind === 'str' ? environmentSet(this.environ, key.value) : undefined;
      if (set) return set;
    }
    if (obj.kind === 'module') return unknown(`${obj.path}[${describe(key)}] is only known at run time`, range);
    if (obj.kind === 'dict') {
      if (key.kind !== 'str') return unknown('subscript with a key that is not a string', range);
      return obj.entries.get(key.value) ?? obj.unlisted ?? unknown(`the key ${JSON.stringify(key.value)} is not in the dictionary`, range);
    }
    if ((obj.kind === 'list' || obj.kind === 'tuple' || obj.kind === 'str') && key.kind === 'int') {
      const items = obj.kind === 'str' ? [...obj.value] : obj.items;
      if (!Array.isArray(items)) return items;
      const i = key.value < 0 ? items.length + key.value : key.value;
      if (i < 0 || i >= items.length) return unknown('index out of range', range);
      const item = items[i]!;
      return typeof item === 'string' ? str(item, derived(range, [obj], 'indexed string')) : item;
    }
    if (obj.kind === 'object') {
      if (key.kind === 'str') return this.getAttr(obj, key.value, range);
    }
    const model = obj.kind === 'object' ? this.library.classModel(obj.cls) : undefined;
    const getitem = model?.methods?.['__getitem__'];
    if (getitem) return getitem(this, { args: [key], kwargs: new Map(), range }, obj);
    return unknown(`subscript of ${describe(obj)} is not modelled`, range);
  }

  // ----- calls --------------------------------------------------------------------------------

  /** `obj.name`, once `obj` is evaluated. */
  private attribute(obj: Value, e: Extract<Expr, { t: 'attr' }>): Value {
    // The common reads, an object's own attribute and a module's member, need no range.
    if (obj.kind === 'module') return this.member(obj, e.name);
    const held = obj.kind === 'object' ? obj.attrs.get(e.name) : undefined;
    return held ?? this.getAttr(obj, e.name, this.range(e));
  }

  private evalCall(e: Extract<Expr, { t: 'call' }>): Value {
    // A method the evaluator does not model may change the object it is called on (a list's
    // reverse(), a config's own helper): that object goes to the opaque call with the arguments.
    let receiver: Value | undefined;
    let method: string | undefined;
    let fn: Value;
    if (e.fn.t === 'attr') {
      receiver = this.eval(e.fn.obj);
      method = e.fn.name;
      fn = this.attribute(receiver, e.fn);
    } else fn = this.eval(e.fn);
    const range = this.range(e);
    const call: CallArgs = { args: [], kwargs: new Map(), range };
    for (const a of e.args) {
      const v = this.eval(a.value);
      switch (a.kind) {
        case 'pos':
          call.args.push(v);
          break;
        case 'kw':
          call.kwargs.set(a.name!, this.storedAt(v, a));
          break;
        case 'star': {
          const items = this.iterate(v);
          if (items) call.args.push(...items);
          else call.opaque = v.kind === 'unknown' ? v.reason : `*${describe(v)} is not modelled`;
          break;
        }
        case 'dstar':
          if (v.kind === 'dict' && v.unlisted) call.opaque = `**${v.unlisted.reason}`;
          else if (v.kind === 'dict') for (const [k, x] of v.entries) call.kwargs.set(k, x);
          else call.opaque = v.kind === 'unknown' ? `**${v.reason}` : `**${describe(v)} is not modelled`;
          break;
      }
    }
    if (fn.kind === 'unknown' && receiver && method !== undefined && mayChange(receiver, method)) return this.opaqueCall(methodName(receiver, method), { ...call, args: [receiver, ...call.args] });
    return this.callValue(fn, call);
  }

  callValue(fn: Value, call: CallArgs): Value {
    this.state.tick();
    switch (fn.kind) {
      case 'native':
        return fn.call(this, call, fn.self);
      case 'function':
        return this.callFunction(fn, call);
      case 'partial':
        return this.callValue(fn.fn, { ...call, args: [...fn.args, ...call.args], kwargs: new Map([...fn.kwargs, ...call.kwargs]) });
      case 'class': {
        const model = this.library.classModel(fn.name);
        if (model?.construct) return model.construct(this, call, fn);
        const obj = newObject(this.state, fn.name, 'eager', call);
        bindFields(obj, model, call.args, call);
        return obj;
      }
      case 'module':
        return this.opaqueCall(fn.path, call);
      case 'unknown':
        return this.opaqueCall(fn.reason, call, fn);
      default:
        return this.opaqueCall(describe(fn), call);
    }
  }

  /**
   * A call the evaluator cannot see into. Its result is unknown, and any configuration object
   * passed to it may have been changed by it, so such objects become opaque from here on.
   */
  opaqueCall(what: string, call: CallArgs, fn?: Value): Value {
    const reason = `a call to ${what} on line ${call.range.start.line + 1}, which Recipe Lens does not model`;
    const seen = new Set<number>();
    for (const a of [...call.args, ...call.kwargs.values()]) this.makeOpaque(a, reason, call.range, seen);
    return fn?.kind === 'unknown' ? unknown(`the result of a call to something unknown (${fn.reason})`, call.range) : unknown(`the result of ${reason}`, call.range);
  }

  /**
   * Marks an object (and everything reachable from it) as possibly changed by code the evaluator
   * cannot see: every field read afterwards is unknown, until the file sets it again. Nested
   * configuration objects stay in place, opaque themselves, so that a later
   * `recipe.trainer.strategy.context_parallel_size = 1` still makes that one field known.
   */
  private makeOpaque(v: Value, reason: string, range: Range, seen: Set<number>): void {
    if (v.kind === 'object') {
      if (seen.has(v.id)) return;
      seen.add(v.id);
      for (const a of v.attrs.values()) this.makeOpaque(a, reason, range, seen);
      const changed = unknown(`${v.cls} may have been changed by ${reason}`, range);
      for (const [name, a] of v.attrs) if (a.kind !== 'object') this.state.write({ kind: 'attr', obj: v, name }, changed);
      if (!v.opaque) this.state.write({ kind: 'opaque', obj: v }, { reason, range });
    } else if (v.kind === 'list' || v.kind === 'tuple') {
      if (seen.has(v.id)) return;
      seen.add(v.id);
      if (!Array.isArray(v.items)) return;
      for (const a of v.items) this.makeOpaque(a, reason, range, seen);
      // Code that is not modelled may have added or removed items, too.
      if (v.kind === 'list') this.state.write({ kind: 'items', list: v }, unknown(`the list may have been changed by ${reason}`, range));
    } else if (v.kind === 'dict') {
      if (seen.has(v.id)) return;
      seen.add(v.id);
      for (const a of v.entries.values()) this.makeOpaque(a, reason, range, seen);
      dictChanged(this.state, v, unknown(`may have been changed by ${reason}`, range));
    }
  }

  private callFunction(fn: FunctionValue, call: CallArgs): Value {
    const node = fn.node;
    this.called.set(node.s, (this.called.get(node.s) ?? 0) + 1);
    if (this.frames.length > this.options.maxCallDepth) return unknown(`calls nested deeper than ${this.options.maxCallDepth} (recursion?) are not followed`, call.range);
    const scope = new Scope(fn.closure, this.state.newId());
    this.bindParams(scope, node.params, fn, call);
    const frame: Frame = { scope, returns: [], globals: new Set() };
    this.frames.push(frame);
    let c: Completion;
    try {
      c = this.execBlock(node.body.once?.() ?? node.body.stmts);
    } finally {
      this.frames.pop();
    }
    if (c === 'raise' && frame.returns.length === 0) return unknown(`${fn.name}() raises on every path the analysis can follow`, call.range);
    const results = c === 'return' ? frame.returns : [...frame.returns, none(literal(call.range, `${fn.name}() returns None`))];
    return new Merger(this.state, `the result of ${fn.name}() depends on a condition`).merge(results) as Value;
  }

  private bindParams(scope: Scope, params: readonly Param[], fn: FunctionValue, call: CallArgs): void {
    const positional = [...call.args];
    const kwargs = new Map(call.kwargs);
    let keywordOnly = false;
    const set = (name: string, v: Value) => scope.vars.set(name, v);
    for (const p of params) {
      switch (p.kind) {
        case 'separator':
          keywordOnly = keywordOnly || this.text(p) === '*';
          break;
        case 'star':
          set(p.name, { kind: 'tuple', id: this.state.newId(), items: keywordOnly ? [] : positional.splice(0), prov: literal(call.range) });
          keywordOnly = true;
          break;
        case 'dstar': {
          const d: DictValue = { kind: 'dict', id: this.state.newId(), entries: new Map(kwargs), prov: literal(call.range) };
          kwargs.clear();
          set(p.name, call.opaque ? unknown(call.opaque, call.range) : d);
          break;
        }
        case 'plain': {
          let v: Value | undefined;
          if (!keywordOnly && positional.length) v = positional.shift();
          else if (kwargs.has(p.name)) {
            v = kwargs.get(p.name);
            kwargs.delete(p.name);
          } else if (call.opaque) v = unknown(call.opaque, call.range);
          else v = fn.defaults.get(p.name);
          set(p.name, v ?? unknown(`the argument ${p.name} of ${fn.name}() is not given`, call.range));
          break;
        }
      }
    }
  }

  private text(span: Span): string {
    return this.lines.text.slice(span.s, span.e);
  }
}

/** `a.b.c =`, `x +=` and the like in text that did not parse (not `==`, `<=`, `>=`, `!=`). */
const ASSIGNMENT_TARGET = /(?<![\w.\]\)])([A-Za-z_]\w*(?:\s*\.\s*[A-Za-z_]\w*)*)\s*(?:\*\*|\/\/|>>|<<|[-+*\/%@&|^])?=(?![=])/g;
const IDENTIFIER = /[A-Za-z_]\w*/g;

/** Does a loop body leave the loop early (break, or return from the function)? */
function jumpsOut(stmts: readonly Stmt[]): boolean {
  return stmts.some((s) => {
    switch (s.t) {
      case 'break':
      case 'return':
        return true;
      case 'if':
        return s.branches.some((b) => jumpsOut(b.body.stmts)) || (s.orelse !== null && jumpsOut(s.orelse.stmts));
      case 'try':
        return jumpsOut(s.body.stmts) || s.handlers.some((h) => jumpsOut(h.stmts)) || (s.orelse !== null && jumpsOut(s.orelse.stmts));
      case 'with':
        return jumpsOut(s.body.stmts);
      default:
        return false;
    }
  });
}

/**
 * The hover sentences of a class default, made once per class and field: a plan reads dozens of
 * defaults per job, and each sentence built afresh was a chain of string pieces that the plan kept.
 * Keyed by class name: the library gives each name one model, so one source.
 */
function defaultDetails(cls: string, name: string, source: string): { plain: string; kept: string } {
  let byName = defaultDetailCache.get(cls);
  if (!byName) defaultDetailCache.set(cls, (byName = new Map()));
  let details = byName.get(name);
  if (!details) {
    const plain = `${cls} default for ${name} (${source})`;
    byName.set(name, (details = { plain, kept: `${plain}, kept by the recipe` }));
  }
  return details;
}

const defaultDetailCache = new Map<string, Map<string, { plain: string; kept: string }>>();

/**
 * Methods of configuration objects that are not modelled but change nothing the rules read:
 * Megatron-Bridge's containers print and serialise themselves, and `validate()` / `finalize()`
 * do what `pretrain()` does at launch, which the rules already account for; NeMo-Run's executors
 * `clone()` themselves. A script that calls `cfg.print_yaml()` before launching keeps its checks.
 */
const CONFIG_READS = new Set(['print_yaml', 'to_yaml', 'to_dict', 'validate', 'finalize', 'clone']);

/** Whether calling `method`, not modelled, on `receiver` may change it. */
function mayChange(receiver: Value, method: string): boolean {
  return receiver.kind !== 'unknown' && !(receiver.kind === 'object' && CONFIG_READS.has(method));
}

/** How a message names a method call: `MegatronStrategy.apply_preset()`, `list.rotate()`. */
function methodName(receiver: Value, name: string): string {
  if (receiver.kind === 'object') return `${receiver.cls}.${name}()`;
  if (receiver.kind === 'module') return `${receiver.path}.${name}()`;
  return `${receiver.kind}.${name}()`;
}
