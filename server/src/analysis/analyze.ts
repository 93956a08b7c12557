// The editor-free analysis core: parse -> lower -> evaluate -> plans -> diagnostics. Pure with
// respect to its input text; never throws on user input. The language server and the CLI both
// call it.
import { recipeCallDiagnostic } from '../rules/calls/recipeCallFails';
import { callRewriteFix } from './callFix';
import type { Problem } from '../evaluate/values';
import { chooseGpu } from './gpuChoice';
import { directiveWorld, parseDirectives } from './directives';
import { planMemory, type PlanMemory } from '../memory/fromPlan';
import { diagnoseMemory } from '../rules/memory/diagnoseMemory';
import { memoryFit } from '../rules/memory/memoryFit';
import type { Parser } from 'web-tree-sitter';
import { Interpreter, type EvaluateOptions } from '../evaluate/interpreter';
import { NemoLibrary } from '../evaluate/nemo/library';
import { BudgetExceeded } from '../evaluate/state';
import type { ParsedText } from '../parse/document';
import { lowerModule, lowerStatements, type LoweringCache } from '../parse/lower';
import { LineIndex } from '../parse/positions';
import { extractPlans } from '../plan/extract';
import { launchesOf } from '../plan/bridgeWorld';
import { parseLaunchCommands, type LaunchCommand } from '../launch/commands';
import type { Plan } from '../plan/plan';
import { diagnosePlans, type Finding } from '../rules/diagnose';
import type { Diagnostic } from '../rules/diagnostic';
import { DEFAULT_RULE_SETTINGS, type RuleSettings, type Severity } from '../rules/rule';
import { candidateFixes, countsOf, provenFixes, type Counts } from './fixes';
import { bestLayoutFix, LAYOUT_FIX_CODES } from './layoutFix';
import type { Fix } from '../rules/diagnostic';
import { applySuppressions, parseSuppressions } from './suppressions';

/** Re-analyses spent proving fixes, per analysis. */
const MAX_PROOFS = 40;

/** Files above this size are not analysed: no recipe script is this large. */
export const MAX_ANALYSED_CHARS = 2_000_000;

export interface AnalysisOptions extends EvaluateOptions {
  /** Lowered statements of the previous analysis of the same document (an editor keeps one). */
  lowering?: LoweringCache;
  rules?: RuleSettings;
  /** Rule codes not to report (the `recipeLens.ignore` setting, `--ignore` on the command line). */
  ignore?: readonly string[];
  /** Severity overrides by rule code (the `recipeLens.severity` setting). */
  severity?: Readonly<Record<string, Severity>>;
  /** The GPU of the `recipeLens.gpu` setting (a catalog id or alias); a file's directive wins. */
  gpu?: string;
  /**
   * Prove each fix by re-analysing the fixed text (on by default). Off, diagnostics carry
   * candidate fixes, which the language server proves when the user asks for code actions.
   */
  verifyFixes?: boolean;
}

export interface Analysis {
  plans: Plan[];
  /** The memory of each plan, in the same order. */
  memory: PlanMemory[];
  diagnostics: Diagnostic[];
  /** Things the program would hit at run time that the evaluator saw (a factory that raises...). */
  problems: Problem[];
  /** Why the analysis produced nothing, when it gave up (too large, too much work). */
  skipped?: string;
}

const library = new NemoLibrary();

/** Lines that can belong to a launch command in a docstring or comment (the rest is Python). */
const LAUNCH_LINE = /torchrun|torch\.distributed|srun|#SBATCH|^\s*#?\s*(?:export\s+)?[A-Z_][A-Z0-9_]*=\S/;

/**
 * The torchrun / srun commands written in the file itself (usually in its docstring or comments)
 * that run it: those naming a script of the file's own name, or any when the file's path is not
 * known. Only Megatron-Bridge jobs take their world from them, so other files skip this.
 */
function ownLaunches(text: string, path: string | undefined): LaunchCommand[] {
  if (!/torchrun|torch\.distributed|srun/.test(text) || !usesBridge(text)) return [];
  const name = path?.slice(path.replace(/\\/g, '/').lastIndexOf('/') + 1);
  // Usage lines in Python comments (`# torchrun ...`) and after a docstring's opening quotes; other
  // lines blanked (line numbers kept), so that Python code is not read as shell.
  let continued = false;
  const shellLike = text
    .split('\n')
    .map((line) => {
      const kept = continued || LAUNCH_LINE.test(line);
      continued = kept && line.trimEnd().endsWith('\\');
      return kept ? line.replace(/^([ \t]*)(?:#|[rRuU]?"""|[rRuU]?''')[ \t]?/, '$1') : '';
    })
    .join('\n');
  return parseLaunchCommands(shellLike).filter((c) => !name || c.script.slice(c.script.lastIndexOf('/') + 1) === name);
}

/** Does the text mention NeMo or Megatron-Bridge at all? Other Python files are not analysed. */
export function mentionsNemo(text: string): boolean {
  return /^\s*(?:from|import)\s+(?:nemo|nemo_run|megatron)\b/m.test(text);
}

/**
 * Does the text use Megatron-Bridge? Only Bridge jobs need the launcher, the version or HF
 * configs. The plain search first: the import pattern, tried at every line start, showed in profiles.
 */
export function usesBridge(text: string): boolean {
  return text.includes('megatron.bridge') && /^\s*(?:from|import)\s+megatron\.bridge\b/m.test(text);
}

function skipped(reason: string): Analysis {
  return { plans: [], memory: [], diagnostics: [], problems: [], skipped: reason };
}

/**
 * What a file gets when its analysis threw, a bug of Recipe Lens and not of the file: no
 * diagnostics, and a reason that says so. The editor and the command line report the error
 * itself and go on with other files.
 */
export function failedAnalysis(error: unknown): Analysis {
  return skipped(`an internal error stopped the analysis (${error instanceof Error ? error.message : String(error)})`);
}

/** An error with its stack, for a report of a bug. */
export function errorReport(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}

export function analyzeParsed(parser: Parser, doc: ParsedText, options: AnalysisOptions = {}): Analysis {
  const text = doc.text;
  if (text.length > MAX_ANALYSED_CHARS) return skipped(`the file has ${text.length} characters, above the ${MAX_ANALYSED_CHARS} that Recipe Lens analyses`);
  library.forgetIfFull();
  const statements = options.lowering ? lowerModule(doc.tree, text, options.lowering).stmts : lowerStatements(doc.tree, text);
  const interpreter = new Interpreter(doc.lines, library, options);
  const directives = parseDirectives(text);
  let plans: Plan[];
  let problems: Analysis['problems'];
  try {
    const evaluation = interpreter.run(statements);
    plans = extractPlans(interpreter, evaluation, directiveWorld(directives), launchesOf(ownLaunches(text, options.surroundings?.path), options.surroundings?.launches));
    problems = evaluation.problems;
  } catch (e) {
    if (e instanceof BudgetExceeded) return skipped(e.message);
    throw e;
  }
  const settings = options.rules ?? DEFAULT_RULE_SETTINGS;
  const gpu = chooseGpu(directives, options.gpu);
  const memory = plans.map((plan) => planMemory(plan, gpu.choice));
  const ignored = new Set(options.ignore ?? []);
  const fits = (plan: Plan) => memoryFit(plan, memory[plans.indexOf(plan)]);
  const findings = mergeDuplicates([...diagnosePlans(plans, settings, fits), ...diagnoseMemory(plans, memory, settings)].filter((f) => !ignored.has(f.diagnostic.code)));
  const verify = options.verifyFixes ?? true;
  const callDiagnostics = problems.map((p) => {
    const d = recipeCallDiagnostic(p);
    const fix = p.rewrite && callRewriteFix(p.rewrite, text);
    if (fix) d.fixes = [fix];
    return d;
  });
  // Each finding names its job before the proofs compare jobs' errors (see provenFixes).
  for (const f of findings) f.diagnostic.plan = plans.indexOf(f.plan);
  // What fixes are proven against, worked out for the first proof: the editor's analyses prove none.
  let counted: Counts | undefined;
  const before = () => (counted ??= countsOf({ diagnostics: [...findings.map((f) => f.diagnostic), ...callDiagnostics], plans, problems }));
  // Each proof re-analyses the file; a file with many problems gets its first fixes proven and
  // no unproven ones.
  let proofs = MAX_PROOFS;
  const reanalyse = (fixed: string) => {
    proofs--;
    return analyzeText(parser, fixed, { ...options, verifyFixes: false, lowering: undefined });
  };
  // The best-layout fix searches; the language server runs it when code actions are asked for.
  const bestLayouts = new Map<Plan, Fix | undefined>();
  for (const f of findings) {
    const candidates = candidateFixes(f, text);
    if (!verify) f.diagnostic.fixes = candidates.map((c, i) => ({ ...c, preferred: i === 0 }));
    else f.diagnostic.fixes = proofs >= candidates.length ? provenFixes(candidates, f.diagnostic.code, text, before(), reanalyse) : [];
    if (verify && LAYOUT_FIX_CODES.has(f.diagnostic.code) && proofs > 0) {
      if (!bestLayouts.has(f.plan)) bestLayouts.set(f.plan, bestLayoutFix(plans, plans.indexOf(f.plan), memory[plans.indexOf(f.plan)], settings, text, reanalyse));
      const fix = bestLayouts.get(f.plan);
      const proven = fix ? provenFixes([fix], f.diagnostic.code, text, before(), reanalyse)[0] : undefined;
      if (proven) f.diagnostic.fixes.push({ ...proven, preferred: f.diagnostic.fixes.length === 0 });
    }
  }
  if (verify) for (const d of callDiagnostics) d.fixes = proofs >= d.fixes.length ? provenFixes(d.fixes, d.code, text, before(), reanalyse) : [];
  const diagnostics = applySuppressions(
    [...findings.map((f) => f.diagnostic), ...callDiagnostics, ...(gpu.diagnostic ? [gpu.diagnostic] : [])].filter((d) => !ignored.has(d.code)),
    parseSuppressions(text),
  );
  const overrides = options.severity ?? {};
  for (const d of diagnostics) d.severity = overrides[d.code] ?? d.severity;
  return { plans, memory, diagnostics, problems };
}

/**
 * Jobs that share an object (two Bridge configs with one provider) get the same finding from the
 * same line: it is reported once, with the other lines each job involves as related information.
 */
function mergeDuplicates(findings: Finding[]): Finding[] {
  const first = new Map<string, Finding>();
  const out: Finding[] = [];
  for (const f of findings) {
    const d = f.diagnostic;
    const { start, end } = d.range;
    const key = `${d.code} ${start.line}:${start.character} ${end.line}:${end.character} ${d.message}`;
    const kept = first.get(key);
    if (!kept) {
      first.set(key, f);
      out.push(f);
      continue;
    }
    for (const r of d.related) if (!kept.diagnostic.related.some((k) => JSON.stringify(k) === JSON.stringify(r))) kept.diagnostic.related.push(r);
  }
  return out;
}

/** Parses and analyses a text in one go (the CLI, tests, benchmarks, fix verification). */
export function analyzeText(parser: Parser, text: string, options?: AnalysisOptions): Analysis {
  if (text.length > MAX_ANALYSED_CHARS) return skipped(`the file has ${text.length} characters, above the ${MAX_ANALYSED_CHARS} that Recipe Lens analyses`);
  const tree = parser.parse(text);
  if (!tree) return skipped('the parser returned no tree');
  try {
    return analyzeParsed(parser, { text, tree, lines: new LineIndex(text) }, options);
  } finally {
    tree.delete();
  }
}
