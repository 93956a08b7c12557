// `npm run fuzz`: the long property-based run of the whole pipeline on mutated recipes and random
// text (test/fuzz/pipeline.ts says what is checked), a million cases by default, spread over one
// worker process per core (test/fuzz/worker.ts), each with its own parser and seed. Prints
// progress every ten seconds, then the cases run, the failures (saved under .tmp/fuzz-failures/
// with what reproduces them), the rate and the slowest case. A worker that stops reporting for
// --hang-seconds is killed, and a worker that dies is restarted after the case it died in: both
// count as failures of that case.
//
//   npm run fuzz -- --runs 2000000 --seed 42 --workers 2
//   npm run fuzz -- --reproduce .tmp/fuzz-failures/42-1234.json
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const WORKER = ['--import', 'tsx', 'test/fuzz/worker.ts'];
const PROGRESS_MS = 10_000;
/** Starting a worker (tsx, the parser, regenerating the runs skipped after a restart) is no hang. */
const STARTUP_MS = 300_000;

const { values: o } = parseArgs({
  options: {
    runs: { type: 'string', default: '1000000' },
    seed: { type: 'string' },
    workers: { type: 'string' },
    'hang-seconds': { type: 'string', default: '120' },
    failures: { type: 'string', default: '.tmp/fuzz-failures' },
    reproduce: { type: 'string' },
  },
});

if (o.reproduce) {
  process.exit(spawnSync(process.execPath, [...WORKER, '--reproduce', o.reproduce], { stdio: 'inherit' }).status ?? 1);
}

const total = Number(o.runs);
const seed = o.seed !== undefined ? Number(o.seed) : Math.floor(Math.random() * 2 ** 31);
const hangMs = Number(o['hang-seconds']) * 1000;
const count = Math.max(1, Math.min(Number(o.workers ?? availableParallelism()), total));
if (!Number.isInteger(total) || total < 1 || !Number.isInteger(seed) || !Number.isInteger(count) || !(hangMs > 0)) {
  console.error('usage: npm run fuzz -- [--runs N] [--seed N] [--workers N] [--hang-seconds N] [--failures DIR] | --reproduce FILE');
  process.exit(2);
}
mkdirSync(o.failures, { recursive: true });

const started = Date.now();
const failures = [];
const workers = Array.from({ length: count }, (_, i) => ({
  seed: (seed + i) | 0,
  runs: Math.floor(total / count) + (i < total % count ? 1 : 0),
  current: join(o.failures, `.current-${i}`),
  progress: { runs: 0, failures: 0, levels: { analysis: 0, search: 0, full: 0 }, slowest: null },
  /** The last progress of each earlier process of this worker (one that died or hung). */
  earlier: [],
  done: false,
  heard: Date.now(),
  /** Whether the current process has started its first case. */
  ready: false,
  exited: false,
  child: undefined,
  killedForHang: false,
}));

function start(w, skip) {
  rmSync(w.current, { force: true });
  w.heard = Date.now();
  w.ready = false;
  w.killedForHang = false;
  w.child = spawn(process.execPath, [...WORKER, '--seed', String(w.seed), '--runs', String(w.runs), '--skip', String(skip), '--failures', o.failures, '--current', w.current], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  w.child.on('message', (m) => {
    w.heard = Date.now();
    if (m.type === 'ready') return void (w.ready = true);
    if (m.type === 'shrunk') return void console.log(`SHRUNK seed ${w.seed} run ${m.run} to ${m.text.length} characters: ${m.file}`);
    if (m.type === 'failure') {
      failures.push({ seed: w.seed, run: m.run, origin: m.origin, error: m.error, file: m.file });
      console.log(`FAILURE seed ${w.seed} run ${m.run}: ${m.origin}\n  ${m.error.split('\n')[0]}\n  saved: ${m.file}`);
      return;
    }
    // Counts before a restart are the worker's skipped runs: the new process reports them again.
    w.progress = m;
    if (m.type === 'done') w.done = true;
  });
  w.child.on('exit', (code, signal) => {
    // After its run a worker shrinks its first failures; stopping it then loses only those.
    if (w.done) {
      w.exited = true;
      return finishIfAll();
    }
    // Died or killed mid-case: the run it was in is a failure; save that case and go on after it.
    // A worker that dies before its first case would die again: that is no fuzz result.
    if (!existsSync(w.current)) abort(`the worker of seed ${w.seed} stopped before its first case (${signal ?? `exit code ${code}`})`);
    const run = Number(readFileSync(w.current, 'utf8').trim());
    const why = w.killedForHang ? `no answer for ${hangMs / 1000} s (a hang)` : `the worker died (${signal ?? `exit code ${code}`})`;
    const dump = spawnSync(process.execPath, [...WORKER, '--seed', String(w.seed), '--dump', String(run), '--why', why, '--failures', o.failures], { encoding: 'utf8' });
    const file = dump.stdout.trim();
    failures.push({ seed: w.seed, run, origin: 'see the file', error: why, file });
    console.log(`FAILURE seed ${w.seed} run ${run}: ${why}\n  saved: ${file}`);
    w.earlier.push(w.progress);
    w.progress = { ...w.progress, runs: run + 1, levels: { analysis: 0, search: 0, full: 0 }, slowest: null };
    start(w, run + 1);
  });
}

function abort(message) {
  console.error(message);
  for (const w of workers) w.child?.kill('SIGKILL');
  process.exit(2);
}

const sum = (f) => workers.reduce((n, w) => n + f(w), 0);
const rate = () => sum((w) => w.progress.runs) / ((Date.now() - started) / 1000);

const ticker = setInterval(() => {
  for (const w of workers) {
    if (!w.exited && w.child && Date.now() - w.heard > (w.ready ? hangMs : STARTUP_MS)) {
      w.killedForHang = true;
      w.child.kill('SIGKILL');
    }
  }
}, 1000);

const reporter = setInterval(() => {
  const runs = sum((w) => w.progress.runs);
  const eta = (total - runs) / rate();
  console.log(`${runs} / ${total} cases, ${failures.length} failures, ${rate().toFixed(0)} cases/s, about ${Math.ceil(eta / 60)} min left`);
}, PROGRESS_MS);

function finishIfAll() {
  if (!workers.every((w) => w.exited)) return;
  clearInterval(ticker);
  clearInterval(reporter);
  const seconds = (Date.now() - started) / 1000;
  const runs = sum((w) => w.progress.runs);
  const level = (l) => sum((w) => [...w.earlier, w.progress].reduce((n, p) => n + p.levels[l], 0));
  const slowest = workers.flatMap((w) => [...w.earlier, w.progress].flatMap((p) => (p.slowest ? [{ ...p.slowest, seed: w.seed }] : []))).sort((a, b) => b.ms - a.ms)[0];
  console.log(`\n${runs} cases in ${seconds.toFixed(0)} s (${(runs / seconds).toFixed(0)} cases/s) on ${count} workers, seed ${seed}`);
  const mix = workers[0].progress.mix;
  console.log(`  ${level('analysis')} analysed without proofs, ${level('search')} also searched layouts (one case in ${mix.searchEvery} of those), ${level('full')} with fixes proven and re-analysed (one case in ${mix.fullEvery})`);
  if (slowest) console.log(`  slowest case: ${slowest.ms.toFixed(0)} ms (${slowest.level}), seed ${slowest.seed} run ${slowest.run}: ${slowest.origin}`);
  console.log(`${failures.length} failures`);
  for (const f of failures.slice(0, 20)) console.log(`  seed ${f.seed} run ${f.run}: ${f.error.split('\n')[0]}\n    npm run fuzz -- --reproduce ${f.file}`);
  for (const w of workers) rmSync(w.current, { force: true });
  process.exitCode = failures.length ? 1 : 0;
}

console.log(`fuzzing ${total} cases on ${count} workers, seed ${seed} (repeat with --seed ${seed})`);
for (const w of workers) start(w, 0);
