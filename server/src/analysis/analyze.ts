// The editor-free analysis core: parse -> lower -> evaluate -> plans. Pure with respect to its
// input text; never throws on user input. The language server and the CLI both call this.
import type { Parser } from 'web-tree-sitter';
import type { ParsedText } from '../parse/document';
import { lowerModule } from '../parse/lower';
import { LineIndex, type Range } from '../parse/positions';
import { BudgetExceeded } from '../evaluate/state';
import { Interpreter, type EvaluateOptions } from '../evaluate/interpreter';
import { NemoLibrary } from '../evaluate/nemo/library';
import { extractPlans } from '../plan/extract';
import type { Plan } from '../plan/plan';

/** Files above this size are not analysed: no recipe script is this large. */
export const MAX_ANALYSED_CHARS = 2_000_000;

export interface Analysis {
  plans: Plan[];
  /** Things the program would hit at run time that the evaluator saw (a factory that raises...). */
  problems: { range: Range; message: string }[];
  /** Why the analysis produced nothing, when it gave up (too large, too much work). */
  skipped?: string;
}

const library = new NemoLibrary();

/** Does the text mention NeMo or Megatron-Bridge at all? Other Python files are not analysed. */
export function mentionsNemo(text: string): boolean {
  return /^\s*(?:from|import)\s+(?:nemo|nemo_run|megatron)\b/m.test(text);
}

export function analyzeParsed(doc: ParsedText, options?: EvaluateOptions): Analysis {
  const text = doc.text;
  if (text.length > MAX_ANALYSED_CHARS) return { plans: [], problems: [], skipped: `the file has ${text.length} characters, above the ${MAX_ANALYSED_CHARS} that Recipe Lens analyses` };
  const lines = doc.lines;
  const block = lowerModule(doc.tree.rootNode, text);
  const interpreter = new Interpreter(lines, library, options);
  try {
    const evaluation = interpreter.run(block);
    return { plans: extractPlans(interpreter, evaluation), problems: evaluation.problems };
  } catch (e) {
    if (e instanceof BudgetExceeded) return { plans: [], problems: [], skipped: e.message };
    throw e;
  }
}

/** Parses and analyses a text in one go (the CLI, tests and benchmarks). */
export function analyzeText(parser: Parser, text: string, options?: EvaluateOptions): Analysis {
  if (text.length > MAX_ANALYSED_CHARS) return { plans: [], problems: [], skipped: `the file has ${text.length} characters, above the ${MAX_ANALYSED_CHARS} that Recipe Lens analyses` };
  const tree = parser.parse(text);
  if (!tree) return { plans: [], problems: [], skipped: 'the parser returned no tree' };
  try {
    return analyzeParsed({ text, tree, lines: new LineIndex(text) }, options);
  } finally {
    tree.delete();
  }
}
