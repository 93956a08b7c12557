// Time to first diagnostics, Recipe Lens against pyright's language server (the npm `pyright`
// package) as the peer a Python user already runs: both started over stdio, initialized on the
// same workspace, then the same recipe file opened; the time from didOpen to the first diagnostics
// published for it. The first open (what a user sees on opening a file) and the median of later
// opens of copies (warm) are reported side by side, from one run.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';

const ROOT = process.argv.includes('--root') ? process.argv[process.argv.indexOf('--root') + 1]! : join(__dirname, '..');
const WARM_OPENS = 9;

interface Timing {
  firstMs: number;
  warmMs: number;
  diagnostics: number;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

async function timeServer(command: string[], workspace: string, text: string): Promise<Timing> {
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
  const open = async (name: string): Promise<{ ms: number; count: number }> => {
    const path = join(workspace, name);
    writeFileSync(path, text);
    const uri = pathToFileURL(path).href;
    const published = new Promise<number>((resolve) => waiting.set(uri, resolve));
    const start = performance.now();
    await connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'python', version: 1, text } });
    const count = await published;
    return { ms: performance.now() - start, count };
  };
  const first = await open('recipe.py');
  const warm: number[] = [];
  for (let i = 0; i < WARM_OPENS; i++) warm.push((await open(`recipe_${i}.py`)).ms);
  await connection.sendRequest('shutdown');
  await connection.sendNotification('exit');
  child.kill();
  return { firstMs: first.ms, warmMs: median(warm), diagnostics: first.count };
}

async function main(): Promise<void> {
  const text = ['llama3_8b_pretrain_local.py', 'llama3_70b_pretrain_slurm.py', 'deepseek_v3_cli_factory.py'].map((f) => readFileSync(join(ROOT, 'examples', f), 'utf8')).join('\n') + readFileSync(join(ROOT, 'bench', 'fixtures', 'finetune_section.py'), 'utf8');
  const workspace = mkdtempSync(join(tmpdir(), 'recipe-lens-peer-'));
  try {
    const lens = await timeServer([join(ROOT, 'dist', 'server.js'), '--stdio'], workspace, text);
    const pyright = await timeServer([join(ROOT, 'node_modules', 'pyright', 'langserver.index.js'), '--stdio'], workspace, text);
    const lines = text.split('\n').length;
    console.log(`\nTime to first diagnostics after opening a ${lines}-line recipe (one run, both servers over stdio)\n`);
    console.log('server        first open ms   warm open ms (median of 9)   diagnostics');
    for (const [name, t] of [['recipe-lens', lens], ['pyright', pyright]] as const) console.log(`${name.padEnd(13)} ${t.firstMs.toFixed(1).padStart(13)} ${t.warmMs.toFixed(1).padStart(28)} ${String(t.diagnostics).padStart(13)}`);
    const first = pyright.firstMs / lens.firstMs;
    const warm = pyright.warmMs / lens.warmMs;
    console.log(`\nRecipe Lens is ${first.toFixed(1)}x faster on the first open and ${warm.toFixed(1)}x when warm   goal >= 10x: ${Math.min(first, warm) >= 10 ? 'met' : 'missed'}`);
    const file = join(ROOT, 'bench', 'results.json');
    let previous = {};
    try {
      previous = JSON.parse(readFileSync(file, 'utf8')) as object;
    } catch {
      // first run
    }
    writeFileSync(file, JSON.stringify({ ...previous, peer: { lines, recipeLens: lens, pyright, speedupFirst: first, speedupWarm: warm } }, null, 2) + '\n');
  } finally {
    rmSync(workspace, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
