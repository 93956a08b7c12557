// Shared test helpers: one parser per test process, and analysis of inline sources.
import type { Parser } from 'web-tree-sitter';
import { analyzeText, type Analysis, type AnalysisOptions } from '../../server/src/analysis/analyze';
import { nodeWasmSources } from '../../server/src/parse/nodeWasm';
import { loadPython, newPythonParser } from '../../server/src/parse/treeSitter';
import type { Field, Plan } from '../../server/src/plan/plan';
import type { Surroundings } from '../../server/src/evaluate/surroundings';
import { readHfConfig } from '../../server/src/workspace/hfCache';
import { join } from 'node:path';

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

const FIXTURES = join(__dirname, '..', 'fixtures');

/**
 * A fixture's surroundings from its `# surroundings:` comment: `bridge-version=0.3.0` (as if
 * pinned), `hf-cache=<folder under test/fixtures>` (the Hugging Face cache), `path=<file path>`.
 */
export function surroundingsOf(text: string): Surroundings {
  const m = /^#\s*surroundings:(.*)$/m.exec(text);
  const out: Surroundings = {};
  for (const [, key, value] of (m?.[1] ?? '').matchAll(/([\w-]+)=(\S+)/g)) {
    if (key === 'bridge-version') out.bridgeVersion = { version: value!, source: 'the fixture' };
    else if (key === 'hf-cache') out.hfConfig = (id) => readHfConfig(id, join(FIXTURES, value!));
    else if (key === 'path') out.path = value!;
    else throw new Error(`unknown surrounding ${key}`);
  }
  return out;
}

/** Reads a plan field by dotted path, e.g. "parallelism.tp". */
export function field(plan: Plan, path: string): Field<unknown> {
  let cur: unknown = plan;
  for (const part of path.split('.')) cur = (cur as Record<string, unknown> | null)?.[part];
  if (!cur || typeof cur !== 'object' || !('value' in cur)) throw new Error(`no plan field ${path}`);
  return cur as Field<unknown>;
}
