// Time to first diagnostics, Recipe Lens against pyright's language server (the npm `pyright`
// package) as the peer a Python user already runs: both started over stdio on the same workspace,
// then the same recipe file opened. Reported side by side from one run: cold, from starting the
// server to the first diagnostics of the file (what a user waits for on opening the first file,
// since editors start the server then); and warm, the median time from didOpen to diagnostics of
// later copies of the file. Each server is started STARTS times and the medians are reported: one
// start on this machine varies by a third either way.
//
// Recipe Lens runs its bundle through V8's code cache (server/src/boot/codeCache.ts), which the
// server writes in its first session: the first start after an install or an update compiles the
// bundle, every later one does not. The bench primes the cache with one session, reported on its
// own as the first start, and times the starts after it, as a user meets them.
//
// Both servers run without NODE_EXTRA_CA_CERTS, when the environment sets it: Node 20 reads and
// parses the certificate file it names before it runs any JavaScript (60 to 90 ms on this machine
// for the Debian bundle), which neither server needs, as neither opens a connection; the VS Code
// client leaves it out of the server's environment for the same reason (client/src/extension.ts).
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';
import { HEALTH_REQUEST, type HealthResponse } from '../server/src/lsp/protocol';

const ROOT = process.argv.includes('--root') ? process.argv[process.argv.indexOf('--root') + 1]! : join(__dirname, '..');
const WARM_OPENS = 9;
const STARTS = 9;

interface Timing {
  /** From spawning the server to the first diagnostics of the file. */
  coldMs: number;
  warmMs: number;
  diagnostics: number;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function serverEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extra };
  delete env.NODE_EXTRA_CA_CERTS;
  return env;
}

/**
 * Starts a server, opens the file and WARM_OPENS copies of it, and shuts the server down.
 * `beforeShutdown` runs last, for the priming session to wait for the code cache.
 */
async function timeServer(command: string[], env: NodeJS.ProcessEnv, workspace: string, text: string, beforeShutdown?: (c: MessageConnection) => Promise<void>): Promise<Timing> {
  const spawned = performance.now();
  const child = spawn(process.execPath, command, { stdio: ['pipe', 'pipe', 'ignore'], env });
  const connection = createMessageConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
  const waiting = new Map<string, (n: number) => void>();
  connection.onNotification('textDocument/publishDiagnostics', (p: { uri: string; diagnostics: unknown[] }) => waiting.get(p.uri)?.(p.diagnostics.length));
  // Pyright asks for its settings and registers capabilities: answer as an editor would.
  connection.onRequest('workspace/configuration', (p: { items: unknown[] }) => p.items.map(() => null));
  connection.onRequest('client/registerCapability', () => null);
  connection.onRequest('window/workDoneProgress/create', () => null);
  connection.listen();
  const rootUri = pathToFileURL(workspace).href;
  await connection.sendRequest('initialize', {
    processId: process.pid,
    rootUri,
    workspaceFolders: [{ uri: rootUri, name: 'bench' }],
    capabilities: { textDocument: { publishDiagnostics: {} }, workspace: { configuration: true, workspaceFolders: true } },
  });
  await connection.sendNotification('initialized', {});
  const open = async (name: string): Promise<{ ms: number; count: number; at: number }> => {
    const path = join(workspace, name);
    writeFileSync(path, text);
    const uri = pathToFileURL(path).href;
    const published = new Promise<number>((resolve) => waiting.set(uri, resolve));
    const start = performance.now();
    await connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'python', version: 1, text } });
    const count = await published;
    return { ms: performance.now() - start, count, at: performance.now() };
  };
  const first = await open('recipe.py');
  const warm: number[] = [];
  for (let i = 0; i < WARM_OPENS; i++) warm.push((await open(`recipe_${i}.py`)).ms);
  await beforeShutdown?.(connection);
  await connection.sendRequest('shutdown');
  await connection.sendNotification('exit');
  child.kill();
  return { coldMs: first.at - spawned, warmMs: median(warm), diagnostics: first.count };
}

/** The medians of STARTS starts. */
async function timeStarts(command: string[], env: NodeJS.ProcessEnv, workspace: string, text: string, check?: (c: MessageConnection) => Promise<void>): Promise<Timing & { starts: number[] }> {
  const runs: Timing[] = [];
  for (let i = 0; i < STARTS; i++) runs.push(await timeServer(command, env, workspace, text, check));
  return { coldMs: median(runs.map((r) => r.coldMs)), warmMs: median(runs.map((r) => r.warmMs)), diagnostics: runs[0]!.diagnostics, starts: runs.map((r) => r.coldMs) };
}

async function health(c: MessageConnection): Promise<HealthResponse> {
  return c.sendRequest(HEALTH_REQUEST);
}

/** Waits until the server has written its code cache (after its warm-up analyses). */
async function cacheWritten(c: MessageConnection): Promise<void> {
  for (let waited = 0; waited < 20_000; waited += 100) {
    const state = (await health(c)).codeCache?.state;
    if (state === 'written') return;
    if (state !== 'none') throw new Error(`the priming session's code cache is ${state ?? 'absent'}, not written`);
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the priming session did not write the code cache within 20 s');
}

async function cacheUsed(c: MessageConnection): Promise<void> {
  const state = (await health(c)).codeCache?.state;
  if (state !== 'used') throw new Error(`a timed start found the code cache ${state ?? 'absent'}, not used`);
}

async function main(): Promise<void> {
  const text = ['llama3_8b_pretrain_local.py', 'llama3_70b_pretrain_slurm.py', 'deepseek_v3_cli_factory.py'].map((f) => readFileSync(join(ROOT, 'examples', f), 'utf8')).join('\n') + readFileSync(join(ROOT, 'bench', 'fixtures', 'finetune_section.py'), 'utf8');
  const workspace = mkdtempSync(join(tmpdir(), 'recipe-lens-peer-'));
  const codeCache = mkdtempSync(join(tmpdir(), 'recipe-lens-peer-cache-'));
  try {
    const lensCommand = [join(ROOT, 'dist', 'server.js'), '--stdio'];
    const lensEnv = serverEnv({ RECIPE_LENS_CODE_CACHE: codeCache });
    const firstStart = await timeServer(lensCommand, lensEnv, workspace, text, cacheWritten);
    const lens = await timeStarts(lensCommand, lensEnv, workspace, text, cacheUsed);
    const pyright = await timeStarts([join(ROOT, 'node_modules', 'pyright', 'langserver.index.js'), '--stdio'], serverEnv({}), workspace, text);
    const lines = text.split('\n').length;
    console.log(`\nTime to first diagnostics after opening a ${lines}-line recipe (both servers over stdio; medians of ${STARTS} starts each)\n`);
    console.log(`server                    cold: start to diagnostics ms   warm: open to diagnostics ms (median of ${WARM_OPENS})   diagnostics`);
    const rows = [['recipe-lens', lens], ['  its first start', firstStart], ['pyright', pyright]] as const;
    for (const [name, t] of rows) console.log(`${name.padEnd(25)} ${t.coldMs.toFixed(1).padStart(29)} ${t.warmMs.toFixed(1).padStart(43)} ${String(t.diagnostics).padStart(13)}`);
    console.log(`\nstarts, ms: recipe-lens ${lens.starts.map((x) => x.toFixed(0)).join(' ')}; pyright ${pyright.starts.map((x) => x.toFixed(0)).join(' ')}`);
    console.log('(its first start: the one after an install or update, which compiles the bundle and writes the code cache)');
    const cold = pyright.coldMs / lens.coldMs;
    const warm = pyright.warmMs / lens.warmMs;
    console.log(`\nRecipe Lens is ${cold.toFixed(1)}x faster cold and ${warm.toFixed(1)}x warm   goal >= 10x: ${cold >= 10 ? 'met' : 'missed'} cold, ${warm >= 10 ? 'met' : 'missed'} warm`);
    const file = join(ROOT, 'bench', 'results.json');
    let previous = {};
    try {
      previous = JSON.parse(readFileSync(file, 'utf8')) as object;
    } catch {
      // first run
    }
    writeFileSync(file, JSON.stringify({ ...previous, peer: { lines, starts: STARTS, recipeLens: lens, recipeLensFirstStart: firstStart, pyright, speedupCold: cold, speedupWarm: warm, speedupFirstStart: pyright.coldMs / firstStart.coldMs } }, null, 2) + '\n');
  } finally {
    rmSync(workspace, { recursive: true, force: true });
    rmSync(codeCache, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
