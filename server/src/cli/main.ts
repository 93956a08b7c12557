// `recipe-lens`: the command line on the same analysis core as the language server.
//
//   recipe-lens check [--format text|json] [--gpu GPU] [--ignore CODES] [--bridge-version V] [--exit-zero] PATH...
//   recipe-lens estimate [--format text|json] PLAN.json
//   recipe-lens layouts [--gpus N | --max-gpus N] [--top K] [--job N] [--gpu GPU] [--format text|json] FILE
//
// Exit codes: 0 no error-severity diagnostic, 1 errors found, 2 usage error.
import { readFileSync } from 'node:fs';
import { parseArgs, type ParseArgsConfig } from 'node:util';

type ParseArgsOptions = NonNullable<ParseArgsConfig['options']>;
import { analyzeText, type Analysis } from '../analysis/analyze';
import { bridgeEraOfVersion } from '../catalog/bridgeVersions';
import { gatherSurroundings, usesBridge } from '../workspace/surroundings';
import { nodeWasmSources } from '../parse/nodeWasm';
import { loadPython, newPythonParser } from '../parse/treeSitter';
import { diagnosticToJson, planToJson } from '../plan/json';
import { startNodeServer } from '../lsp/main';
import { collectPythonFiles } from './files';
import { diagnosticText, planText, summary } from './text';
import { runEstimate } from './estimate';
import { runLayouts } from './layouts';
import { findGpu, gpuIds } from '../memory/gpus';

const USAGE = `usage: recipe-lens check [--format text|json] [--gpu GPU] [--ignore CODES] [--bridge-version V] [--exit-zero] PATH...
       recipe-lens estimate [--format text|json] PLAN.json
       recipe-lens layouts [--gpus N | --max-gpus N] [--top K] [--job N] [--gpu GPU] [--format text|json] FILE
       recipe-lens server --stdio
       recipe-lens --help | --version

Analyses NeMo 2.0 and Megatron-Bridge training recipes (Python files, or folders of them): reports the layouts that
Megatron-Core would refuse, with the values that work, and prints for each training job the
resolved plan: world size, parallel layout, batch, model, precision, and the memory each GPU needs
(on the H100 80GB unless --gpu or a '# recipe-lens: gpu=...' comment names another). Megatron-Bridge
recipes are read for --bridge-version, else the version the nearest lock or requirements file pins,
else the newest; their world size comes from the launcher (docs/bridge.md). Exit code 1
when there is an error (0 with --exit-zero). 'estimate' prints the memory estimate of one plan
given as JSON; 'layouts' ranks the valid layouts that fit for a job of a file (docs/cli.md).`;

interface Io {
  out: (s: string) => void;
  err: (s: string) => void;
}

export async function main(argv: string[], io: Io): Promise<number> {
  const [command, ...rest] = argv;
  if (command === '--help' || command === '-h' || command === 'help') {
    io.out(USAGE);
    return 0;
  }
  if (command === '--version') {
    io.out(VERSION);
    return 0;
  }
  if (command === 'server') {
    if (!rest.includes('--stdio') && !rest.includes('--node-ipc') && !rest.some((a) => a.startsWith('--socket') || a.startsWith('--pipe'))) {
      io.err('recipe-lens server: give the transport, e.g. --stdio');
      return 2;
    }
    startNodeServer();
    // The connection keeps the process alive until the client exits it.
    return new Promise<number>(() => undefined);
  }
  if (command === 'estimate') return estimateCommand(rest, io);
  if (command === 'layouts') return layoutsCommand(rest, io);
  if (command !== 'check') {
    io.err(command ? `recipe-lens: unknown command '${command}'\n${USAGE}` : USAGE);
    return 2;
  }
  const parsed = parseCommand(rest, { gpu: { type: 'string' }, ignore: { type: 'string' }, 'bridge-version': { type: 'string' }, 'exit-zero': { type: 'boolean', default: false } }, io);
  if (!parsed) return 2;
  const { format } = parsed;
  if (parsed.positionals.length === 0) {
    io.err(`recipe-lens: no paths given\n${USAGE}`);
    return 2;
  }
  const ignore = String(parsed.values['ignore'] ?? '').split(',').map((c) => c.trim().toUpperCase()).filter(Boolean);
  const badCode = ignore.find((c) => !/^RL\d{3}$/.test(c));
  if (badCode) {
    io.err(`recipe-lens: --ignore: '${badCode}' is not a rule code such as RL402`);
    return 2;
  }
  const gpu = parsed.values['gpu'] === undefined ? undefined : String(parsed.values['gpu']);
  if (gpu !== undefined && !findGpu(gpu)) {
    io.err(`recipe-lens: --gpu: unknown GPU '${gpu}'; the catalog has ${gpuIds().join(', ')}`);
    return 2;
  }
  const bridgeVersion = parsed.values['bridge-version'] === undefined ? undefined : String(parsed.values['bridge-version']);
  if (bridgeVersion !== undefined && !bridgeEraOfVersion(bridgeVersion)) {
    io.err(`recipe-lens: --bridge-version: '${bridgeVersion}' is not a version such as 0.5.1`);
    return 2;
  }
  const { files, missing } = collectPythonFiles(parsed.positionals);
  for (const m of missing) io.err(`recipe-lens: ${m}: no such file or folder`);
  if (missing.length) return 2;

  const parser = newPythonParser(await loadPython(nodeWasmSources()));
  const results: { path: string; analysis?: Analysis; error?: string }[] = [];
  for (const path of files) {
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (e) {
      io.err(`recipe-lens: ${path}: cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
      results.push({ path, error: 'cannot be read' });
      continue;
    }
    // Bridge jobs take their version, world and models from the files around them.
    const surroundings = usesBridge(text) ? gatherSurroundings(path, { roots: [process.cwd()], bridgeVersion: bridgeVersion ? { version: bridgeVersion, source: '--bridge-version' } : null }) : undefined;
    results.push({ path, analysis: analyzeText(parser, text, { gpu, ignore, ...(surroundings ? { surroundings } : {}) }) });
  }

  const all = results.flatMap((r) => r.analysis?.diagnostics ?? []);
  if (format === 'json') {
    const files = results.map((r) => ({
      path: r.path,
      diagnostics: r.analysis?.diagnostics.map(diagnosticToJson) ?? [],
      plans: r.analysis?.plans.map((p, i) => planToJson(p, r.analysis!.memory[i])) ?? [],
      ...(r.error ? { error: r.error } : r.analysis?.skipped ? { skipped: r.analysis.skipped } : {}),
    }));
    io.out(JSON.stringify({ version: 1, files }, null, 2));
  } else {
    let planCount = 0;
    for (const r of results) {
      if (!r.analysis) continue;
      if (r.analysis.plans.length === 0 && r.analysis.diagnostics.length === 0 && !r.analysis.skipped) continue;
      io.out(r.path);
      if (r.analysis.skipped) io.out(`  not analysed: ${r.analysis.skipped}`);
      for (const d of r.analysis.diagnostics) io.out(diagnosticText(r.path, d).join('\n'));
      r.analysis.plans.forEach((p, i) => io.out(planText(p, i, r.analysis!.memory[i]).join('\n')));
      planCount += r.analysis.plans.length;
    }
    io.out(summary(files.length, planCount, all));
  }
  return all.some((d) => d.severity === 'error') && !parsed.values['exit-zero'] ? 1 : 0;
}

/** The options every command shares (`--format`) and its own; undefined after reporting a usage error. */
function parseCommand(args: string[], options: ParseArgsOptions, io: Io) {
  let parsed;
  try {
    parsed = parseArgs({ args, allowPositionals: true, options: { format: { type: 'string', default: 'text' }, ...options } });
  } catch (e) {
    io.err(`recipe-lens: ${(e as Error).message}\n${USAGE}`);
    return undefined;
  }
  const format = parsed.values['format'];
  if (format !== 'text' && format !== 'json') {
    io.err(`recipe-lens: --format must be text or json, not '${String(format)}'`);
    return undefined;
  }
  return { values: parsed.values as Record<string, string | boolean | undefined>, positionals: parsed.positionals, format: format as 'text' | 'json' };
}

async function layoutsCommand(args: string[], io: Io): Promise<number> {
  const parsed = parseCommand(args, { gpus: { type: 'string' }, 'max-gpus': { type: 'string' }, top: { type: 'string', default: '10' }, job: { type: 'string', default: '1' }, gpu: { type: 'string' } }, io);
  if (!parsed) return 2;
  const count = (name: string): number | undefined | null => {
    const v = parsed.values[name];
    if (v === undefined) return undefined;
    const n = Number(v);
    return Number.isInteger(n) && n > 0 ? n : null;
  };
  const numbers = { gpus: count('gpus'), maxGpus: count('max-gpus'), top: count('top'), job: count('job') };
  for (const [name, n] of Object.entries(numbers)) {
    if (n === null) {
      io.err(`recipe-lens layouts: --${name === 'maxGpus' ? 'max-gpus' : name} takes a positive whole number`);
      return 2;
    }
  }
  const gpu = parsed.values['gpu'] === undefined ? undefined : String(parsed.values['gpu']);
  if (gpu !== undefined && !findGpu(gpu)) {
    io.err(`recipe-lens: --gpu: unknown GPU '${gpu}'; the catalog has ${gpuIds().join(', ')}`);
    return 2;
  }
  if (parsed.positionals.length !== 1) {
    io.err(`recipe-lens layouts: give one recipe file\n${USAGE}`);
    return 2;
  }
  const parser = newPythonParser(await loadPython(nodeWasmSources()));
  return runLayouts(parser, parsed.positionals[0]!, { job: numbers.job!, gpus: numbers.gpus ?? undefined, maxGpus: numbers.maxGpus ?? undefined, top: numbers.top!, gpu, format: parsed.format }, io);
}

function estimateCommand(args: string[], io: Io): number {
  const parsed = parseCommand(args, {}, io);
  if (!parsed) return 2;
  const { format } = parsed;
  if (parsed.positionals.length !== 1) {
    io.err(`recipe-lens estimate: give one plan file (or - for standard input)\n${USAGE}`);
    return 2;
  }
  return runEstimate(parsed.positionals[0]!, format, io);
}

declare const __VERSION__: string | undefined;
const VERSION = typeof __VERSION__ === 'string' ? __VERSION__ : 'development';

if (require.main === module) {
  main(process.argv.slice(2), { out: (s) => process.stdout.write(s + '\n'), err: (s) => process.stderr.write(s + '\n') }).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(`recipe-lens: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      process.exitCode = 2;
    },
  );
}
