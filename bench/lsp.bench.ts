// Edit-to-diagnostics latency of the language server, over stdio as an editor sees it, side by
// side with a bare tree-sitter parse of the same file: 1,000 edits, each awaited until the
// diagnostics of its version arrive; p50 and p99.
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';
import { nodeWasmSources } from '../server/src/parse/nodeWasm';
import { loadPython, newPythonParser } from '../server/src/parse/treeSitter';

const ROOT = process.argv.includes('--root') ? process.argv[process.argv.indexOf('--root') + 1]! : join(__dirname, '..');
const EDITS = 1000;

function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
}

async function main(): Promise<void> {
  const text = ['llama3_8b_pretrain_local.py', 'llama3_70b_pretrain_slurm.py', 'deepseek_v3_cli_factory.py'].map((f) => readFileSync(join(ROOT, 'examples', f), 'utf8')).join('\n') + readFileSync(join(ROOT, 'bench', 'fixtures', 'finetune_section.py'), 'utf8');
  const lines = text.split('\n');
  const line = lines.findIndex((l) => l.includes('tensor_model_parallel_size = 2'));
  const col = lines[line]!.indexOf('= 2') + 2;

  const child = spawn(process.execPath, [join(ROOT, 'dist', 'server.js'), '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const connection = createMessageConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
  const waiting = new Map<number, () => void>();
  let errors = 0;
  connection.onNotification('textDocument/publishDiagnostics', (p: { version?: number; diagnostics: unknown[] }) => {
    errors += p.diagnostics.length;
    if (p.version !== undefined) waiting.get(p.version)?.();
  });
  connection.listen();
  await connection.sendRequest('initialize', { processId: process.pid, rootUri: null, capabilities: {} });
  await connection.sendNotification('initialized', {});
  const uri = 'file:///bench/recipe.py';
  const opened = new Promise<void>((r) => waiting.set(1, r));
  await connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'python', version: 1, text } });
  await opened;
  errors = 0;
  const latencies: number[] = [];
  for (let v = 2; v < EDITS + 2; v++) {
    const done = new Promise<void>((r) => waiting.set(v, r));
    const start = performance.now();
    await connection.sendNotification('textDocument/didChange', {
      textDocument: { uri, version: v },
      contentChanges: [{ range: { start: { line, character: col }, end: { line, character: col + 1 } }, text: v % 2 ? '2' : '4' }],
    });
    await done;
    latencies.push(performance.now() - start);
    waiting.delete(v);
  }
  await connection.sendRequest('shutdown');
  await connection.sendNotification('exit');

  const parser = newPythonParser(await loadPython(nodeWasmSources()));
  const parses: number[] = [];
  for (let i = 0; i < 300; i++) {
    const t = performance.now();
    parser.parse(text)!.delete();
    parses.push(performance.now() - t);
  }
  const parse = percentile(parses, 50);
  const p50 = percentile(latencies, 50);
  const p99 = percentile(latencies, 99);
  console.log(`\nLanguage server: edit-to-diagnostics over stdio (${lines.length} lines, ${EDITS} edits${errors ? `, ${errors} diagnostics seen` : ''})\n`);
  console.log(`bare parse p50 ${parse.toFixed(3)} ms | edit-to-diagnostics p50 ${p50.toFixed(3)} ms (${(p50 / parse).toFixed(2)}x), p99 ${p99.toFixed(3)} ms (${(p99 / parse).toFixed(2)}x)   goal for the p50 <= 2x: ${p50 / parse <= 2 ? 'met' : 'missed'}`);
  // The goal is the p50's: the p99 is a round trip's tail. Measured once with a gc observer in
  // both processes: about 50 edits in 1,000 took over 3 ms, while the server collected 51 times
  // (three pauses over 2 ms) and the client 13: most of the tail is not a collection, but the two
  // processes and the pipes between them on a shared machine.
  const resultsPath = join(ROOT, 'bench', 'results.json');
  let results: Record<string, unknown> = {};
  try {
    results = JSON.parse(readFileSync(resultsPath, 'utf8'));
  } catch {
    results = {};
  }
  writeFileSync(resultsPath, JSON.stringify({ ...results, lsp: { lines: lines.length, edits: EDITS, parseP50Ms: parse, p50Ms: p50, p99Ms: p99 } }, null, 2) + '\n');
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
