// `recipe-lens`: the command line on the same analysis core as the language server.
//
//   recipe-lens check [--format text|json|sarif|github] [--select CODES] [--ignore CODES] [--statistics] ... PATH...
//   recipe-lens estimate [--format text|json] PLAN.json
//   recipe-lens layouts [--gpus N | --max-gpus N] [--top K] [--job N] [--gpu GPU] [--format text|json] FILE
//
// Exit codes: 0 no error-severity diagnostic, 1 errors found or a file unreadable, 2 usage or
// configuration error, or an internal error (the other files are still checked).
import { parseArgs, type ParseArgsConfig } from 'node:util';

type ParseArgsOptions = NonNullable<ParseArgsConfig['options']>;
import { startNodeServer } from '../lsp/main';
import { namesTransport, TRANSPORT_MISSING } from '../lsp/transport';
import { nodeWasmSources } from '../parse/nodeWasm';
import { loadPython, newPythonParser } from '../parse/treeSitter';
import { findGpu, gpuIds } from '../memory/gpus';
import { CHECK_FORMATS, runCheck } from './check';
import { checkSettings } from './checkSettings';
import { colourWanted } from './colour';
import { runEstimate } from './estimate';
import { runLayouts } from './layouts';

const USAGE = `usage: recipe-lens check [--format text|json|sarif|github] [--select CODES] [--ignore CODES] [--statistics]
                         [--gpu GPU] [--bridge-version V] [--config FILE | --no-config] [--exit-zero] PATH...
       recipe-lens estimate [--format text|json] PLAN.json
       recipe-lens layouts [--gpus N | --max-gpus N] [--top K] [--job N] [--gpu GPU] [--format text|json] FILE
       recipe-lens server --stdio
       recipe-lens --help | --version

Analyses NeMo 2.0 and Megatron-Bridge training recipes (Python files, or folders of them): reports the layouts that
Megatron-Core would refuse, with the values that work, and prints for each training job the
resolved plan: world size, parallel layout, batch, model, precision, and the memory each GPU needs
(on the H100 80GB unless --gpu or a '# recipe-lens: gpu=...' comment names another). Megatron-Bridge
recipes are read for --bridge-version, else the version the nearest lock or requirements file pins,
else the newest; their world size comes from the launcher (docs/bridge.md).

check options:
  --format F         text (default), json, sarif (SARIF 2.1.0 for code scanning) or github
                     (GitHub Actions annotations)
  --select CODES     report only these rules: codes or prefixes, comma-separated (RL1,RL401)
  --ignore CODES     never report these rules (codes or prefixes); wins over --select
  --statistics       count the diagnostics of each rule instead of listing them
  --config FILE      read [tool.recipe-lens] from this pyproject.toml, not the nearest one
  --no-config        read no pyproject.toml
  --exit-zero        exit 0 even when there are errors

Settings come from [tool.recipe-lens] in the nearest pyproject.toml, flags winning. Exit code 1
when there is an error (0 with --exit-zero) or a file cannot be read, 2 on a usage or
configuration error. 'estimate' prints the memory estimate of one plan given as JSON; 'layouts'
ranks the valid layouts that fit for a job of a file (docs/cli.md).`;

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
    if (!namesTransport(rest)) {
      io.err(TRANSPORT_MISSING);
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
  return checkCommand(rest, io);
}

async function checkCommand(args: string[], io: Io): Promise<number> {
  const parsed = parseCommand(
    args,
    {
      gpu: { type: 'string' },
      select: { type: 'string' },
      ignore: { type: 'string' },
      'bridge-version': { type: 'string' },
      config: { type: 'string' },
      'no-config': { type: 'boolean', default: false },
      statistics: { type: 'boolean', default: false },
      'exit-zero': { type: 'boolean', default: false },
    },
    io,
    CHECK_FORMATS,
  );
  if (!parsed) return 2;
  const { values, format } = parsed;
  if (parsed.positionals.length === 0) {
    io.err(`recipe-lens: no paths given\n${USAGE}`);
    return 2;
  }
  if (values['statistics'] && format !== 'text') {
    io.err(`recipe-lens: --statistics prints a table; it cannot be combined with --format ${format}`);
    return 2;
  }
  const text = (name: string) => (values[name] === undefined ? undefined : String(values[name]));
  const cwd = process.cwd();
  const run = await checkSettings({ gpu: text('gpu'), select: text('select'), ignore: text('ignore'), bridgeVersion: text('bridge-version'), config: text('config'), noConfig: values['no-config'] === true }, cwd);
  if ('error' in run) {
    io.err(`recipe-lens: ${run.error}`);
    return 2;
  }
  return runCheck(parsed.positionals, run, { format, statistics: values['statistics'] === true, exitZero: values['exit-zero'] === true, colour: colourWanted(process.env, process.stdout.isTTY === true), version: VERSION, cwd }, io);
}

/** The options every command shares (`--format`) and its own; undefined after reporting a usage error. */
function parseCommand<F extends string = 'text' | 'json'>(args: string[], options: ParseArgsOptions, io: Io, formats: readonly F[] = ['text', 'json'] as F[]) {
  let parsed;
  try {
    parsed = parseArgs({ args, allowPositionals: true, options: { format: { type: 'string', default: 'text' }, ...options } });
  } catch (e) {
    io.err(`recipe-lens: ${(e as Error).message}\n${USAGE}`);
    return undefined;
  }
  const format = String(parsed.values['format']);
  if (!(formats as readonly string[]).includes(format)) {
    io.err(`recipe-lens: --format must be ${formats.slice(0, -1).join(', ')} or ${formats[formats.length - 1]}, not '${format}'`);
    return undefined;
  }
  return { values: parsed.values as Record<string, string | boolean | undefined>, positionals: parsed.positionals, format: format as F };
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
