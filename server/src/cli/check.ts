// `recipe-lens check PATH...`: analyses each Python file with the run's settings and reports what
// the selected rules found, as text (optionally coloured, or as per-rule statistics), JSON,
// SARIF or GitHub workflow commands. The exit code is the check's verdict: 1 when an error is
// reported or a file could not be read, 2 when a named path does not exist.
import { readFileSync } from 'node:fs';
import { analyzeText, errorReport, failedAnalysis, usesBridge, type Analysis } from '../analysis/analyze';
import { ruleSettings } from '../config/settings';
import { nodeWasmSources } from '../parse/nodeWasm';
import { loadPython, newPythonParser } from '../parse/treeSitter';
import { diagnosticToJson, planToJson } from '../plan/json';
import { gatherSurroundings } from '../workspace/surroundings';
import type { CheckedFile } from './checked';
import type { RunSettings } from './checkSettings';
import { ANSI, PLAIN, type Palette } from './colour';
import { collectPythonFiles, errorCode } from './files';
import { workflowCommand } from './github';
import { reportPath } from './paths';
import { selectRules } from '../config/ruleSelection';
import { sarifLog } from './sarif';
import { ruleCounts, statisticsTable } from './statistics';
import { diagnosticText, planText, summary } from './text';

export const CHECK_FORMATS = ['text', 'json', 'sarif', 'github'] as const;
export type CheckFormat = (typeof CHECK_FORMATS)[number];

export interface CheckOptions {
  format: CheckFormat;
  /** Counts per rule instead of each diagnostic (text only). */
  statistics: boolean;
  /** Exit 0 even when errors are reported (not when a file could not be read). */
  exitZero: boolean;
  colour: boolean;
  /** The package's version, named in the SARIF log. */
  version: string;
  /** Where reports' relative paths start, and Megatron-Bridge's surroundings are looked for. */
  cwd: string;
  /** The analysis of one file; replaced only by tests that need one to throw. */
  analyze?: typeof analyzeText;
}

export interface CheckIo {
  out: (s: string) => void;
  err: (s: string) => void;
}

async function analyseFiles(files: readonly string[], run: RunSettings, { cwd, analyze = analyzeText }: CheckOptions, io: CheckIo): Promise<CheckedFile[]> {
  const { settings } = run;
  const selection = selectRules(settings.select, settings.ignore);
  const options = { gpu: settings.gpu, ignore: selection.ignored, severity: settings.severity, rules: ruleSettings(settings) };
  const parser = newPythonParser(await loadPython(nodeWasmSources()));
  return files.map((path): CheckedFile => {
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (e) {
      io.err(`recipe-lens: ${path}: cannot be read (${errorCode(e)})`);
      return { path, unreadable: errorCode(e) };
    }
    // Bridge jobs take their version, world and models from the files around them.
    const surroundings = usesBridge(text) ? gatherSurroundings(path, { roots: [cwd], bridgeVersion: run.bridgeVersion }) : undefined;
    let analysis: Analysis;
    try {
      analysis = analyze(parser, text, { ...options, ...(surroundings ? { surroundings } : {}) });
    } catch (e) {
      // A bug of Recipe Lens: reported, and the other files are still checked.
      io.err(`recipe-lens: ${path}: internal error, a bug in Recipe Lens; please report it with this message and, if you can, the file.\n${errorReport(e)}`);
      return { path, analysis: failedAnalysis(e), failed: true };
    }
    // Selection narrows the report, after the analysis: a `# noqa` of an unselected rule still counts as used.
    return { path, analysis: { ...analysis, diagnostics: analysis.diagnostics.filter((d) => selection.reports(d.code)) } };
  });
}

export async function runCheck(paths: readonly string[], run: RunSettings, o: CheckOptions, io: CheckIo): Promise<number> {
  const { files, missing, unreadable } = collectPythonFiles(paths);
  for (const m of missing) io.err(`recipe-lens: ${m}: no such file or folder`);
  if (missing.length) return 2;
  for (const u of unreadable) io.err(`recipe-lens: ${u.path}: cannot be read (${u.reason})`);
  const checked = [...unreadable.map((u): CheckedFile => ({ path: u.path, unreadable: u.reason })), ...(await analyseFiles(files, run, o, io))];
  const all = checked.flatMap((f) => f.analysis?.diagnostics ?? []);
  const unreadableCount = checked.filter((f) => f.unreadable).length;
  const failedCount = checked.filter((f) => f.failed).length;
  const paint = o.colour ? ANSI : PLAIN;

  if (o.format === 'json') {
    const out = checked.map((f) => ({
      path: f.path,
      diagnostics: f.analysis?.diagnostics.map(diagnosticToJson) ?? [],
      plans: f.analysis?.plans.map((p, i) => planToJson(p, f.analysis!.memory[i])) ?? [],
      ...(f.unreadable ? { error: `cannot be read (${f.unreadable})` } : f.analysis?.skipped ? { skipped: f.analysis.skipped } : {}),
    }));
    io.out(JSON.stringify({ version: 1, files: out }, null, 2));
  } else if (o.format === 'sarif') {
    io.out(JSON.stringify(sarifLog(checked, o.version, o.cwd), null, 2));
  } else if (o.format === 'github') {
    for (const f of checked) for (const d of f.analysis?.diagnostics ?? []) io.out(workflowCommand(reportPath(f.path, o.cwd), d));
    io.out(summary(all, unreadableCount, failedCount));
  } else {
    if (o.statistics) for (const line of statisticsTable(ruleCounts(all), paint)) io.out(line);
    else for (const f of checked) printFile(f, paint, io);
    io.out(summary(all, unreadableCount, failedCount));
  }
  if (failedCount) return 2;
  if (unreadableCount) return 1;
  return all.some((d) => d.severity === 'error') && !o.exitZero ? 1 : 0;
}

/** A file's diagnostics and plans; nothing for a file without jobs or findings. */
function printFile(f: CheckedFile, paint: Palette, io: CheckIo): void {
  const a = f.analysis;
  if (!a || (a.plans.length === 0 && a.diagnostics.length === 0 && !a.skipped)) return;
  io.out(paint.path(f.path));
  if (a.skipped) io.out(`  not analysed: ${a.skipped}`);
  for (const d of a.diagnostics) io.out(diagnosticText(f.path, d, paint).join('\n'));
  a.plans.forEach((p, i) => io.out(planText(p, i, a.memory[i]).join('\n')));
}
