// Shared test helpers: one parser per test process, and analysis of inline sources.
import type { Parser } from 'web-tree-sitter';
import { analyzeText, type Analysis, type AnalysisOptions } from '../../server/src/analysis/analyze';
import { nodeWasmSources } from '../../server/src/parse/nodeWasm';
import { loadPython, newPythonParser } from '../../server/src/parse/treeSitter';
import type { Field, Plan } from '../../server/src/plan/plan';

let parser: Promise<Parser> | undefined;

export function pythonParser(): Promise<Parser> {
  parser ??= loadPython(nodeWasmSources()).then(newPythonParser);
  return parser;
}

/** Removes the common indentation of a template literal, so tests can indent Python code. */
export function dedent(text: string): string {
  const lines = text.replace(/^\n/, '').split('\n');
  const indent = Math.min(...lines.filter((l) => l.trim()).map((l) => l.match(/^ */)![0].length));
  return lines.map((l) => l.slice(indent)).join('\n');
}

export async function analyze(source: string, options?: AnalysisOptions): Promise<Analysis> {
  return analyzeText(await pythonParser(), source, options);
}

/** Reads a plan field by dotted path, e.g. "parallelism.tp". */
export function field(plan: Plan, path: string): Field<unknown> {
  let cur: unknown = plan;
  for (const part of path.split('.')) cur = (cur as Record<string, unknown> | null)?.[part];
  if (!cur || typeof cur !== 'object' || !('value' in cur)) throw new Error(`no plan field ${path}`);
  return cur as Field<unknown>;
}
