// Time to first diagnostics, Recipe Lens against pyright's language server (the npm `pyright`
// package) as the peer a Python user already runs: both started over stdio on the same workspace,
// then the same recipe file opened. Reported side by side from one run: cold, from starting the
// server to the first diagnostics of the file (what a user waits for on opening the first file,
// since editors start the server then); and warm, the median time from didOpen to diagnostics of
// later copies of the file.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';

const ROOT = process.argv.includes('--root') ? process.argv[process.argv.indexOf('--root') + 1]! : join(__dirname, '..');
const WARM_OPENS = 9;

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

async function timeServer(command: string[], workspace: string, text: string): Promise<Timing> {
  const spawned = performance.now();
  const child = spawn(process.execPath, command, { stdio: ['pipe', 'pipe', 'ignore'] });
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
  await connection.sendRequest('shutdown');
  await connection.sendNotification('exit');
  child.kill();
  return { coldMs: first.at - spawned, warmMs: median(warm), diagnostics: first.count };
}

async function main(): Promise<void> {
  const text = ['llama3_8b_pretrain_local.py', 'llama3_70b_pretrain_slurm.py', 'deepseek_v3_cli_factory.py'].map((f) => readFileSync(join(ROOT, 'examples', f), 'utf8')).join('\n') + readFileSync(join(ROOT, 'bench', 'fixtures', 'finetune_section.py'), 'utf8');
  const workspace = mkdtempSync(join(tmpdir(), 'recipe-lens-peer-'));
  try {
    const lens = await timeServer([join(ROOT, 'dist', 'server.js'), '--stdio'], workspace, text);
    const pyright = await timeServer([join(ROOT, 'node_modules', 'pyright', 'langserver.index.js'), '--stdio'], workspace, text);
    const lines = text.split('\n').length;
    console.log(`\nTime to first diagnostics after opening a ${lines}-line recipe (one run, both servers over stdio)\n`);
    console.log('server        cold: start to diagnostics ms   warm: open to diagnostics ms (median of 9)   diagnostics');
    for (const [name, t] of [['recipe-lens', lens], ['pyright', pyright]] as const) console.log(`${name.padEnd(13)} ${t.coldMs.toFixed(1).padStart(29)} ${t.warmMs.toFixed(1).padStart(43)} ${String(t.diagnostics).padStart(13)}`);
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
    writeFileSync(file, JSON.stringify({ ...previous, peer: { lines, recipeLens: lens, pyright, speedupCold: cold, speedupWarm: warm } }, null, 2) + '\n');
  } finally {
    rmSync(workspace, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
