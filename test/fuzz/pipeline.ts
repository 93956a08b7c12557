// The property the fuzz tests check, shared by the quick profile in `npm test`
// (test/robustness/fuzz.test.ts) and the long run of `npm run fuzz` (scripts/fuzz.mjs): whatever
// the text, the whole pipeline (parse, evaluate, plans, rules, memory, layout search, fixes)
// returns instead of throwing or hanging, and every fix it offers does what it claims when applied.
//
// Inputs are the project's own recipes (examples/ and the plan and rule fixtures) mutated at the
// token level (a token deleted, duplicated, swapped with its neighbour, a number replaced by a
// hostile one, random characters inserted), Python-looking lines of random tokens, and random
// text. Mutating real recipes reaches deep into the evaluator and the rules, which random text
// never does; random text finds what the parser and the lowering do with garbage.
import fc from 'fast-check';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Parser } from 'web-tree-sitter';
import { analyzeText, type Analysis, type AnalysisOptions } from '../../server/src/analysis/analyze';
import { layoutRows } from '../../server/src/analysis/layoutsView';
import type { Surroundings } from '../../server/src/evaluate/surroundings';
import { applyEdits } from '../../server/src/fixes/edits';
import { LineIndex, type Range } from '../../server/src/parse/positions';
import type { Diagnostic, Fix, TextEdit } from '../../server/src/rules/diagnostic';
import { searchLayouts } from '../../server/src/search/search';
import { surroundingsOf } from '../helpers/analyze';

const ROOT = join(__dirname, '..', '..');
const SEED_DIRS = ['examples', 'test/fixtures/plans', 'test/fixtures/rules'];

export interface Seed {
  /** The path from the repository root, e.g. "examples/llama3_8b_pretrain_local.py". */
  name: string;
  text: string;
}

let seedCache: Seed[] | undefined;

/** Every recipe of the seed folders, read once per process, in a stable order. */
export function seeds(): Seed[] {
  seedCache ??= SEED_DIRS.flatMap((dir) =>
    readdirSync(join(ROOT, dir))
      .filter((f) => f.endsWith('.py'))
      .sort()
      .map((f) => ({ name: `${dir}/${f}`, text: readFileSync(join(ROOT, dir, f), 'utf8') })),
  );
  return seedCache;
}

// ---------------------------------------------------------------------------------------------
// Cases

/** Settings a case is analysed with, drawn with the text: rules depend on them. */
export interface CaseSettings {
  megatronCore: [number, number];
  clusterGpusPerNode?: number;
  gpu?: string;
}

/** One input of the property, plain data so that a failure can be saved as JSON and replayed. */
export interface FuzzCase {
  /** How the text was made, e.g. "examples/llama3_8b_pretrain_local.py mutated: delete at 812". */
  origin: string;
  text: string;
  /** The seed whose surroundings (pinned Bridge version, Hugging Face cache, path) apply. */
  seed?: string;
  settings: CaseSettings;
  level: Level;
}

/**
 * How much of the pipeline a case runs. `analysis`: plans, rules, memory, and the fixes as
 * candidates (their edits checked, not re-analysed); `search`: and the layout search of every
 * job; `full`: fixes proven by the analysis, then each one and each explored layout ("Explore
 * layouts") applied and re-analysed. Each level costs several times the one before.
 */
export type Level = 'analysis' | 'search' | 'full';

const surroundingsCache = new Map<string, Surroundings>();

export function optionsFor(c: FuzzCase): AnalysisOptions {
  let surroundings: Surroundings = {};
  if (c.seed !== undefined) {
    const cached = surroundingsCache.get(c.seed);
    surroundings = cached ?? surroundingsOf(seeds().find((s) => s.name === c.seed)?.text ?? '');
    if (!cached) surroundingsCache.set(c.seed, surroundings);
  }
  const { megatronCore, clusterGpusPerNode, gpu } = c.settings;
  return { rules: { megatronCore, ...(clusterGpusPerNode !== undefined ? { clusterGpusPerNode } : {}) }, ...(gpu !== undefined ? { gpu } : {}), surroundings };
}

// ---------------------------------------------------------------------------------------------
// Tokens and mutations

export type TokenKind = 'name' | 'number' | 'string' | 'comment' | 'op' | 'newline' | 'space' | 'other';

export interface Token {
  kind: TokenKind;
  text: string;
}

// Python's lexical classes, loosely: the tokens only have to join back into the source and fall
// at places a person editing the file could break it. An unterminated string runs to the end of
// its line (a triple-quoted one to the end of the text).
const TOKEN = new RegExp(
  [
    String.raw`(?<newline>\r?\n)`,
    String.raw`(?<space>[ \t\f]+|\\\r?\n)`,
    String.raw`(?<comment>#[^\r\n]*)`,
    String.raw`(?<string>[rRbBuUfF]{0,2}(?:"""[\s\S]*?(?:"""|$)|'''[\s\S]*?(?:'''|$)|"(?:\\.|[^"\\\r\n])*"?|'(?:\\.|[^'\\\r\n])*'?))`,
    String.raw`(?<number>0[xXoObB][\da-fA-F_]+|(?:\d[\d_]*\.?[\d_]*|\.\d[\d_]*)(?:[eE][+-]?\d+)?[jJ]?)`,
    String.raw`(?<name>[A-Za-z_\u0080-\uffff][\w\u0080-\uffff]*)`,
    String.raw`(?<op>\*\*=?|//=?|>>=?|<<=?|->|:=|[-+*/%&|^@<>=!]=|[-+*/%&|^~@<>=.,:;()\[\]{}])`,
    String.raw`(?<other>[\s\S])`,
  ].join('|'),
  'gy',
);

export function tokenize(text: string): Token[] {
  const out: Token[] = [];
  TOKEN.lastIndex = 0;
  for (let m = TOKEN.exec(text); m; m = TOKEN.exec(text)) {
    const kind = Object.entries(m.groups!).find(([, v]) => v !== undefined)![0] as TokenKind;
    out.push({ kind, text: m[0] });
    if (TOKEN.lastIndex >= text.length) break;
  }
  return out;
}

/**
 * Numbers that break assumptions: zero and negative degrees, an integer beyond 2**53 written out,
 * floats, a string where an int belongs, overflow to infinity, powers too large to compute, and
 * exact integers large enough that looping up to them, or multiplying two of them, goes wrong.
 */
export const HOSTILE_NUMBERS = ['0', '-1', '-8', '4611686018427387904', '1e308', '1e309', '3.5', '"8"', '10**30', '1000000000000000000000000000000', '2**4096', '-0', '0.0', 'True', 'None', '2**40', '10**9 + 1', '999999937'];

/** Characters inserted at random places, besides random strings: each opens or closes a construct. */
const INSERTS = ['(', ')', '[', ']', '{', '}', ':', ',', '=', '\n', '    ', '\t', '"', "'", '"""', '\\', '#', '**', '.', 'lambda', 'def ', 'if ', 'for ', '*', '\u2028', '\0', '\r', '\ufeff', 'é'];

export type Mutation =
  | { kind: 'delete'; at: number }
  | { kind: 'duplicate'; at: number }
  | { kind: 'swap'; at: number }
  | { kind: 'number'; at: number; value: string }
  | { kind: 'insert'; at: number; text: string };

type StatementKind = 'import' | 'definition' | 'comment' | 'other';

const COMPOUND_CONTINUATION = /^(?:else|elif|except|finally|case)\b/;

/**
 * The top-level statements of a seed, with their text (up to and including the newline that ends
 * them): a statement starts on a line with no indent, outside brackets, that does not continue
 * the statement before (else, except...).
 */
export function topLevelStatements(text: string): { kind: StatementKind; text: string }[] {
  const tokens = tokenize(text);
  const out: { kind: StatementKind; text: string }[] = [];
  let depth = 0;
  let atLineStart = true;
  for (const t of tokens) {
    const starts = atLineStart && depth === 0 && t.kind !== 'space' && t.kind !== 'newline' && !COMPOUND_CONTINUATION.test(t.text) && !(t.kind === 'op' && /^[)\]}]/.test(t.text));
    if (starts || out.length === 0) {
      const kind: StatementKind = t.kind === 'comment' ? 'comment' : /^(?:import|from)$/.test(t.text) ? 'import' : /^(?:def|class|async|@)$/.test(t.text) ? 'definition' : 'other';
      out.push({ kind, text: '' });
    }
    out[out.length - 1]!.text += t.text;
    if (t.kind === 'op' && /^[([{]$/.test(t.text)) depth++;
    if (t.kind === 'op' && /^[)\]}]$/.test(t.text)) depth = Math.max(0, depth - 1);
    atLineStart = t.kind === 'newline';
  }
  return out;
}

/**
 * A cheaper seed: its imports, definitions and comments (directives, settings) with `count`
 * other top-level statements from the `from`-th on (wrapping), so usually one to three jobs.
 */
export function fragment(text: string, from: number, count: number): string {
  const statements = topLevelStatements(text);
  const others = statements.flatMap((s, i) => (s.kind === 'other' ? [i] : []));
  const kept = new Set(Array.from({ length: Math.min(count, others.length) }, (_, k) => others[(from + k) % others.length]!));
  return statements.filter((s, i) => s.kind !== 'other' || kept.has(i)).map((s) => s.text).join('');
}

/** Applies mutations in order; positions wrap around the tokens they choose among. */
export function mutate(text: string, mutations: readonly Mutation[]): string {
  const tokens = tokenize(text);
  for (const m of mutations) {
    if (tokens.length === 0) tokens.push({ kind: 'other', text: '' });
    switch (m.kind) {
      case 'delete':
        tokens.splice(m.at % tokens.length, 1);
        break;
      case 'duplicate': {
        const i = m.at % tokens.length;
        tokens.splice(i, 0, { ...tokens[i]! });
        break;
      }
      case 'swap': {
        // Among significant tokens (swapping a name with the space after it changes nothing);
        // deletions and duplications may hit newlines and indents.
        const significant = tokens.flatMap((t, i) => (t.kind === 'space' || t.kind === 'newline' ? [] : [i]));
        if (significant.length < 2) break;
        const k = m.at % (significant.length - 1);
        const [a, b] = [significant[k]!, significant[k + 1]!];
        [tokens[a], tokens[b]] = [tokens[b]!, tokens[a]!];
        break;
      }
      case 'number': {
        const numbers = tokens.flatMap((t, i) => (t.kind === 'number' ? [i] : []));
        if (numbers.length) tokens[numbers[m.at % numbers.length]!] = { kind: 'other', text: m.value };
        break;
      }
      case 'insert':
        tokens.splice(m.at % (tokens.length + 1), 0, { kind: 'other', text: m.text });
        break;
    }
  }
  return tokens.map((t) => t.text).join('');
}

// ---------------------------------------------------------------------------------------------
// Arbitraries

const settingsArb: fc.Arbitrary<CaseSettings> = fc.record(
  {
    megatronCore: fc.constantFrom<[number, number]>([0, 20], [0, 15], [0, 12]),
    clusterGpusPerNode: fc.constantFrom(4, 8),
    gpu: fc.constantFrom('a100-40gb', 'b200', 'l40s', 'no-such-gpu'),
  },
  { requiredKeys: ['megatronCore'] },
);

const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  { arbitrary: fc.record({ kind: fc.constant('delete' as const), at: fc.nat() }), weight: 3 },
  { arbitrary: fc.record({ kind: fc.constant('duplicate' as const), at: fc.nat() }), weight: 2 },
  { arbitrary: fc.record({ kind: fc.constant('swap' as const), at: fc.nat() }), weight: 2 },
  { arbitrary: fc.record({ kind: fc.constant('number' as const), at: fc.nat(), value: fc.constantFrom(...HOSTILE_NUMBERS) }), weight: 4 },
  { arbitrary: fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: fc.oneof(fc.constantFrom(...INSERTS), fc.string({ unit: 'binary', maxLength: 4 })) }), weight: 2 },
);

/** How a profile spends its time between thorough and cheap cases. */
export interface Mix {
  /** One case in this many runs at the `full` level. */
  fullEvery: number;
  /** One of the other cases in this many runs at the `search` level, the rest at `analysis`. */
  searchEvery: number;
  /** One mutated seed in this many is the whole file; the others are fragments of one to three statements. */
  wholeEvery: number;
}

/**
 * The quick profile of `npm test`: every case searches layouts, one in two proves and re-analyses
 * its fixes, one mutated seed in ten is a whole file.
 */
export const QUICK_MIX: Mix = { fullEvery: 1, searchEvery: 1, wholeEvery: 5 };

/**
 * The long profile of `npm run fuzz`: most cases are fragments of seeds or generated text
 * analysed without proofs; one in four also runs the layout search, one in fifty proves and
 * re-analyses its fixes (up to forty re-analyses each), one mutated seed in twenty is a whole file.
 */
export const LONG_MIX: Mix = { fullEvery: 20, searchEvery: 2, wholeEvery: 10 };

/** True for one value in `every`; shrinking goes towards false. */
function oneIn(every: number): fc.Arbitrary<boolean> {
  return fc.noBias(fc.nat({ max: every - 1 })).map((n) => n === every - 1);
}

function levelArb(mix: Mix): fc.Arbitrary<Level> {
  return fc.tuple(oneIn(mix.fullEvery), oneIn(mix.searchEvery)).map(([full, search]) => (full ? 'full' : search ? 'search' : 'analysis'));
}

function describe(m: Mutation): string {
  return m.kind === 'number' || m.kind === 'insert' ? `${m.kind} ${JSON.stringify(m.kind === 'number' ? m.value : m.text)} at ${m.at}` : `${m.kind} at ${m.at}`;
}

/** A seed recipe, or a fragment of one, with one to five mutations. */
export function mutatedSeedArb(mix: Mix): fc.Arbitrary<FuzzCase> {
  const all = seeds();
  return fc
    .record({
      seed: fc.nat({ max: all.length - 1 }),
      whole: oneIn(mix.wholeEvery),
      from: fc.nat(),
      count: fc.integer({ min: 1, max: 3 }),
      mutations: fc.array(mutationArb, { minLength: 1, maxLength: 5 }),
      settings: settingsArb,
      level: levelArb(mix),
    })
    .map(({ seed, whole, from, count, mutations, settings, level }) => {
      const s = all[seed]!;
      const text = whole ? s.text : fragment(s.text, from, count);
      const part = whole ? '' : ` (fragment ${from}+${count})`;
      return { origin: `${s.name}${part} mutated: ${mutations.map(describe).join(', ')}`, text: mutate(text, mutations), seed: s.name, settings, level };
    });
}

const HEADERS = ['from nemo.collections import llm\n', 'import nemo_run as run\nfrom nemo.collections import llm\n', 'from megatron.bridge.recipes.llama import llama3_8b_pretrain_config\n', ''];

// Tokens of the scripts Recipe Lens reads, so that random lines now and then make a statement
// the evaluator follows (a recipe, an override, a launch) rather than a syntax error.
const VOCABULARY = [
  'def', 'return', 'if', 'elif', 'else', 'for', 'in', 'while', 'with', 'as', 'lambda', 'class', 'import', 'from', 'not', 'and', 'or',
  'None', 'True', 'False', 'pass', 'yield', 'global', 'nonlocal', 'try', 'except', 'finally', 'raise', 'assert', 'del', 'async', 'await', 'match', 'case', 'break', 'continue',
  'recipe', 'r', 'x', 'cfg', 'llm', 'run', 'os', 'self', 'args', 'range', 'len', 'int', 'str', 'dict', 'list', 'getattr', 'setattr', 'partial', '__name__', '"__main__"',
  'llm.llama3_8b.pretrain_recipe', 'llm.llama3_70b.finetune_recipe', 'llm.mixtral_8x7b.pretrain_recipe', 'llm.deepseek_v3.pretrain_recipe', 'llm.pretrain', 'llm.finetune',
  'run.Partial', 'run.Config', 'run.run', 'run.LocalExecutor', 'run.SlurmExecutor', 'run.Experiment', 'run.cli.entrypoint', 'llama3_8b_pretrain_config', 'pretrain', 'ConfigContainer',
  'recipe.trainer.strategy.tensor_model_parallel_size', 'recipe.trainer.strategy.pipeline_model_parallel_size', 'recipe.trainer.strategy.context_parallel_size',
  'recipe.trainer.strategy.expert_model_parallel_size', 'recipe.trainer.strategy.virtual_pipeline_model_parallel_size', 'recipe.trainer.strategy.sequence_parallel',
  'recipe.trainer.num_nodes', 'recipe.trainer.devices', 'recipe.data.global_batch_size', 'recipe.data.micro_batch_size', 'recipe.data.seq_length', 'recipe.model.config.num_layers',
  'cfg.model.tensor_model_parallel_size', 'cfg.train.global_batch_size', 'os.environ', 'os.environ.get', 'argparse.ArgumentParser', 'parser.add_argument', 'parser.parse_args',
  'num_nodes=', 'num_gpus_per_node=', 'tensor_parallelism=', 'name=', 'peft_scheme=', 'nodes=', 'ntasks_per_node=', 'executor=', 'default=', 'type=int',
  '(', ')', '[', ']', '{', '}', '.', ',', ':', ';', '=', '==', '+', '-', '*', '/', '//', '%', '**', '+=', '*=', '<', '>', '@', '->', ':=', '\\', '...',
  '"full"', "'bf16-mixed'", 'f"{x}"', '"""doc"""', '"lora"', '"8"',
  // Names every JavaScript object has, looked up in the catalogs' plain objects.
  'constructor', '__proto__', 'toString', 'hasOwnProperty', 'constructor=', '__proto__=', 'parser.constructor', '"constructor"',
  '0', '1', '2', '4', '8', '16', '64', '256', '4096', ...HOSTILE_NUMBERS,
];

const FACTORIES = ['llm.llama3_8b.pretrain_recipe', 'llm.llama3_70b.finetune_recipe', 'llm.mixtral_8x7b.pretrain_recipe', 'llm.deepseek_v3.pretrain_recipe', 'llm.qwen3_30b_a3b.pretrain_recipe', 'llama3_8b_pretrain_config'];
const PATHS = [
  'trainer.strategy.tensor_model_parallel_size', 'trainer.strategy.pipeline_model_parallel_size', 'trainer.strategy.virtual_pipeline_model_parallel_size',
  'trainer.strategy.context_parallel_size', 'trainer.strategy.expert_model_parallel_size', 'trainer.strategy.expert_tensor_parallel_size', 'trainer.strategy.sequence_parallel',
  'trainer.num_nodes', 'trainer.devices', 'data.global_batch_size', 'data.micro_batch_size', 'data.seq_length', 'model.config.num_layers', 'model.config.num_attention_heads',
  'model.config.seq_length', 'model.tensor_model_parallel_size', 'train.global_batch_size', 'trainer.constructor', 'model.__proto__',
];
const VALUES = ['0', '1', '2', '3', '4', '8', '16', '64', '512', '8192', 'None', 'True', 'False', 'x', 'n', 'n * 2', 'args.nodes', ...HOSTILE_NUMBERS];
const KEYWORDS = ['num_nodes', 'num_gpus_per_node', 'tensor_parallelism', 'pipeline_parallelism', 'name', 'peft_scheme', 'seq_length', 'global_batch_size', 'constructor', 'toString'];

/** Statements the evaluator follows: recipes, overrides of their fields, launches, blocks. */
function statementArb(): fc.Arbitrary<string> {
  const target = fc.constantFrom('recipe', 'r', 'x', 'cfg');
  const value = fc.constantFrom(...VALUES);
  const call = fc.tuple(fc.constantFrom(...FACTORIES), fc.array(fc.tuple(fc.constantFrom(...KEYWORDS), value), { maxLength: 3 })).map(([f, kwargs]) => `${f}(${kwargs.map(([k, v]) => `${k}=${v}`).join(', ')})`);
  return fc.oneof(
    fc.tuple(target, call).map(([t, c]) => `${t} = ${c}`),
    fc.tuple(target, fc.constantFrom(...PATHS), value).map(([t, p, v]) => `${t}.${p} = ${v}`),
    fc.tuple(target, value).map(([t, v]) => `run.run(${t}, executor=run.LocalExecutor(ntasks_per_node=${v}))`),
    fc.tuple(target, fc.constantFrom('llm.pretrain', 'llm.finetune', 'pretrain')).map(([t, f]) => `${f}(${t})`),
    fc.constantFrom('for n in range(3):', 'if x:', 'else:', 'def make(n=2):', 'while n:', 'with run.Experiment("e") as exp:', 'return recipe', 'exp.add(recipe)'),
  );
}

/**
 * Lines at random indentation: statements the evaluator follows, now and then lines of random
 * tokens from the scripts' vocabulary, so that generated text makes jobs as well as garbage.
 */
export function pythonishArb(): fc.Arbitrary<string> {
  const tokens = fc.array(fc.constantFrom(...VOCABULARY), { maxLength: 10 }).map((t) => t.join(' '));
  const line = fc.tuple(fc.constantFrom('', '', '', '    ', '        ', '\t', '  '), fc.oneof({ arbitrary: statementArb(), weight: 3 }, { arbitrary: tokens, weight: 1 }));
  return fc
    .tuple(fc.constantFrom(...HEADERS), fc.array(line, { maxLength: 30 }))
    .map(([header, lines]) => header + lines.map(([indent, text]) => indent + text).join('\n') + '\n');
}

/** Random strings: bytes as Latin-1, code points of every plane, printable ASCII lines. */
export function randomTextArb(): fc.Arbitrary<string> {
  return fc.tuple(
    fc.constantFrom(...HEADERS),
    fc.oneof(fc.string({ unit: 'binary', maxLength: 500 }), fc.string({ unit: 'grapheme', maxLength: 500 }), fc.string({ unit: fc.constantFrom('a', '1', ' ', '\n', '(', ')', ':', '=', '.', '"', '#', '    '), maxLength: 500 })),
  ).map(([header, body]) => header + body);
}

/** Cases whose text is generated rather than mutated. */
export function generatedArb(mix: Mix): fc.Arbitrary<FuzzCase> {
  return fc
    .record({ text: fc.oneof(pythonishArb(), randomTextArb()), settings: settingsArb, level: levelArb(mix) })
    .map(({ text, settings, level }) => ({ origin: 'generated text', text, settings, level }));
}

/** Mutated seeds and generated text, as many of each. */
export function caseArb(mix: Mix): fc.Arbitrary<FuzzCase> {
  return fc.oneof(mutatedSeedArb(mix), generatedArb(mix));
}

// ---------------------------------------------------------------------------------------------
// The property

/** A broken promise of the pipeline, with what broke. */
export class PipelineFailure extends Error {
  override name = 'PipelineFailure';
}

function fail(message: string): never {
  throw new PipelineFailure(message);
}

/** Why an analysis may give up; any other reason is a failure. */
const SKIP_REASONS = [/^the file has \d+ characters, above the \d+ that Recipe Lens analyses$/, /^analysis stopped after \d+ steps$/, /^the parser returned no tree$/];

/**
 * Text that comes from formatting a value that is not a number or a name, or a number past 2**53
 * (JavaScript writes those from 1e21 in exponent form): a rule computed with inexact numbers.
 */
const GARBLED = /\bNaN\b|\bundefined\b|\[object |-?Infinity\b|\d[eE][+-]\d/;

export interface CaseReport {
  ms: number;
  plans: number;
  diagnostics: number;
  /** Fixes and explored layouts applied and re-analysed. */
  reanalysed: number;
}

function checkRange(lines: LineIndex, r: Range, what: string): void {
  const ok = (p: Range['start']) => Number.isInteger(p.line) && Number.isInteger(p.character) && p.line >= 0 && p.line < lines.lineCount && p.character >= 0 && p.character <= lines.lineText(p.line).length + 1;
  if (!ok(r.start) || !ok(r.end) || lines.offsetAt(r.start) > lines.offsetAt(r.end)) fail(`${what} has a range outside the text: ${JSON.stringify(r)}`);
}

function checkEdits(lines: LineIndex, edits: readonly TextEdit[], what: string): void {
  for (const e of edits) checkRange(lines, e.range, what);
  const spans = edits.map((e) => [lines.offsetAt(e.range.start), lines.offsetAt(e.range.end)] as const).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  for (let i = 1; i < spans.length; i++) if (spans[i]![0] < spans[i - 1]![1]) fail(`${what} has overlapping edits`);
}

function checkWording(text: string, what: string): void {
  if (GARBLED.test(text)) fail(`${what} reads "${text}"`);
}

/** Where an offset of the text lands after the edits (an edit over it moves it to the edit's start). */
function mapOffset(lines: LineIndex, edits: readonly TextEdit[], offset: number): number {
  let shift = 0;
  for (const e of edits) {
    const from = lines.offsetAt(e.range.start);
    const to = lines.offsetAt(e.range.end);
    if (to <= offset) shift += e.newText.length - (to - from);
    else if (from <= offset && offset < to) return from + shift;
  }
  return offset + shift;
}

function errorKeys(a: Analysis): { messages: Set<string>; jobs: Set<string> } {
  const errors = a.diagnostics.filter((d) => d.severity === 'error');
  return { messages: new Set(errors.map((d) => `${d.code} ${d.message}`)), jobs: new Set(errors.flatMap((d) => (d.plan === undefined ? [] : [`${d.code}@${d.plan}`]))) };
}

/**
 * A fix applied and re-analysed: the diagnostic it fixes is gone from where it was, and no error
 * appears that was not there: an error whose message is new must be one of a code the same job
 * already had (fixing TP rewrites the numbers in that job's batch error, say).
 */
function checkFix(parser: Parser, c: FuzzCase, options: AnalysisOptions, original: Analysis, lines: LineIndex, before: ReturnType<typeof errorKeys>, d: Diagnostic, fix: Fix): void {
  const what = `the fix "${fix.title}" of ${d.code} at ${d.range.start.line + 1}:${d.range.start.character + 1}`;
  const fixed = applyEdits(c.text, fix.edits);
  const after = analyzeText(parser, fixed, { ...options, verifyFixes: false });
  if (after.skipped) fail(`${what} makes the analysis give up: ${after.skipped}`);
  for (const e of after.diagnostics) {
    if (e.severity !== 'error' || before.messages.has(`${e.code} ${e.message}`) || (e.plan !== undefined && before.jobs.has(`${e.code}@${e.plan}`))) continue;
    fail(`${what} adds ${e.code} at ${e.range.start.line + 1}:${e.range.start.character + 1}: ${e.message}`);
  }
  // Jobs made in a loop share their lines, so several diagnostics of one code can start at the
  // same place: one fewer must be left there.
  const fixedLines = new LineIndex(fixed);
  const at = mapOffset(lines, fix.edits, lines.offsetAt(d.range.start));
  const there = (a: Analysis, l: LineIndex, offset: number) => a.diagnostics.filter((e) => e.code === d.code && l.offsetAt(e.range.start) === offset).length;
  if (there(after, fixedLines, at) >= there(original, lines, lines.offsetAt(d.range.start))) fail(`${what} leaves ${d.code} where it was`);
}

/**
 * Runs the whole pipeline on a case and checks its promises; throws PipelineFailure (or whatever
 * the pipeline threw) when one is broken.
 */
export function checkPipeline(parser: Parser, c: FuzzCase): CaseReport {
  const started = performance.now();
  const options = optionsFor(c);
  const full = c.level === 'full';
  const analysis = analyzeText(parser, c.text, full ? options : { ...options, verifyFixes: false });
  let reanalysed = 0;
  if (analysis.skipped !== undefined) {
    if (!SKIP_REASONS.some((r) => r.test(analysis.skipped!))) fail(`skipped for an unexpected reason: ${analysis.skipped}`);
    if (analysis.plans.length || analysis.diagnostics.length) fail('a skipped analysis has plans or diagnostics');
    return { ms: performance.now() - started, plans: 0, diagnostics: 0, reanalysed };
  }
  const lines = new LineIndex(c.text);
  if (analysis.memory.length !== analysis.plans.length) fail(`${analysis.plans.length} plans but ${analysis.memory.length} memory results`);
  analysis.plans.forEach((plan, job) => {
    const memory = analysis.memory[job]!;
    if (memory.estimate) {
      const { peakBytes, capacityBytes } = memory.estimate;
      if (!(Number.isFinite(peakBytes) && peakBytes > 0 && Number.isFinite(capacityBytes))) fail(`job ${job + 1}: peak memory ${peakBytes} of ${capacityBytes}`);
    } else if (memory.unknown.length === 0) fail(`job ${job + 1}: no memory estimate and no reason`);
    if (full) {
      // "Explore layouts": each listed layout was applied and re-analysed by layoutRows itself.
      const rows = layoutRows(parser, c.text, analysis, job, options, { top: 3 });
      if (typeof rows !== 'string') for (const row of rows) checkEdits(lines, row.edits, `layout "${row.title}"`);
      reanalysed += typeof rows === 'string' ? 0 : rows.length;
    } else if (c.level === 'search') {
      searchLayouts(plan, memory, options.rules!, { top: 3 });
    }
  });
  for (const p of analysis.problems) checkRange(lines, p.range, `the problem "${p.message}"`);
  const before = errorKeys(analysis);
  for (const d of analysis.diagnostics) {
    const what = `${d.code} at ${d.range.start.line + 1}:${d.range.start.character + 1}`;
    checkRange(lines, d.range, what);
    for (const r of d.related) checkRange(lines, r.range, `a related line of ${what}`);
    checkWording(d.message, what);
    if (d.plan !== undefined && !(d.plan >= 0 && d.plan < analysis.plans.length)) fail(`${what} is about job ${d.plan}, of ${analysis.plans.length}`);
    if (d.fixes.filter((f) => f.preferred).length > 1) fail(`${what} has more than one preferred fix`);
    for (const fix of d.fixes) {
      checkWording(fix.title, `the title of a fix of ${what}`);
      checkEdits(lines, fix.edits, `the fix "${fix.title}" of ${what}`);
      if (full) {
        checkFix(parser, c, options, analysis, lines, before, d, fix);
        reanalysed++;
      } else {
        applyEdits(c.text, fix.edits);
      }
    }
  }
  return { ms: performance.now() - started, plans: analysis.plans.length, diagnostics: analysis.diagnostics.length, reanalysed };
}
