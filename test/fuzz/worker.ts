// One process of `npm run fuzz` (scripts/fuzz.mjs starts one per core): runs its share of the
// long profile with its own parser and seed, and reports to the parent over IPC. A failing case
// does not stop the run: it is counted, saved as JSON under the failures folder with the seed and
// run that reproduce it, and the first few are shrunk to a minimal input. Before each case the run
// number is written to a file, so that the parent can name the case a hang or a crash was in.
//
//   node --import tsx test/fuzz/worker.ts --seed 42 --runs 1000 --failures .tmp/fuzz-failures
//   node --import tsx test/fuzz/worker.ts --reproduce .tmp/fuzz-failures/42-17.json
//   node --import tsx test/fuzz/worker.ts --seed 42 --dump 17 --why 'a hang' --failures DIR   (save case 17 unrun)
import fc from 'fast-check';
import { mkdirSync, openSync, readFileSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { Parser } from 'web-tree-sitter';
import { pythonParser } from '../helpers/analyze';
import { caseArb, checkPipeline, LONG_MIX, type FuzzCase, type Level, type Mix } from './pipeline';

/** Failures each worker shrinks (each for up to a minute); the others are saved as found. */
const SHRUNK_PER_WORKER = 3;
const SHRINK_MS = 60_000;

interface SavedFailure {
  seed: number;
  run: number;
  error: string;
  case: FuzzCase;
  /** The shrunk input, when shrinking found one. */
  shrunk?: { case: FuzzCase; error: string };
}

interface Progress {
  type: 'progress' | 'done';
  runs: number;
  failures: number;
  levels: Record<Level, number>;
  slowest: { ms: number; run: number; origin: string; level: Level } | null;
  mix: Mix;
}

const arbitrary = () => caseArb(LONG_MIX);

function send(message: object): void {
  if (process.send) process.send(message);
  else console.log(JSON.stringify(message));
}

function errorText(e: unknown): string {
  return e instanceof Error ? `${e.name}: ${e.message}\n${e.stack?.split('\n').slice(1, 8).join('\n') ?? ''}` : String(e);
}

/** The case of run `run` of seed `seed`, regenerated without running it. */
function caseAt(seed: number, run: number): FuzzCase {
  let found: FuzzCase | undefined;
  fc.check(fc.property(arbitrary(), (c) => void (found = c)), { seed, path: String(run), numRuns: 1 });
  return found!;
}

/** Replays a failing run and shrinks it; `beat` is called after every attempt (the parent's hang watch). */
function shrink(parser: Parser, seed: number, run: number, beat: () => void): SavedFailure['shrunk'] {
  const property = fc.property(arbitrary(), (c) => {
    try {
      checkPipeline(parser, c);
    } finally {
      beat();
    }
  });
  const details = fc.check<[FuzzCase]>(property, { seed, path: String(run), plugins: [fc.interruptAfterTimeLimit(SHRINK_MS)] });
  return details.failed && details.counterexample ? { case: details.counterexample[0], error: errorText(details.errorInstance) } : undefined;
}

function save(dir: string, failure: SavedFailure): string {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${failure.seed}-${failure.run}.json`);
  writeFileSync(file, JSON.stringify(failure, null, 2));
  writeFileSync(file.replace(/\.json$/, '.py'), (failure.shrunk?.case ?? failure.case).text);
  return file;
}

async function main(): Promise<void> {
  const { values: o } = parseArgs({
    options: {
      seed: { type: 'string' },
      runs: { type: 'string' },
      skip: { type: 'string', default: '0' },
      failures: { type: 'string', default: '.tmp/fuzz-failures' },
      current: { type: 'string' },
      reproduce: { type: 'string' },
      dump: { type: 'string' },
      why: { type: 'string', default: 'the case did not finish' },
    },
  });
  const parser = await pythonParser();
  if (o.reproduce) {
    const saved = JSON.parse(readFileSync(o.reproduce, 'utf8')) as SavedFailure;
    for (const c of [saved.case, ...(saved.shrunk ? [saved.shrunk.case] : [])]) {
      try {
        const r = checkPipeline(parser, c);
        console.log(`passes now (${r.ms.toFixed(0)} ms): ${c.origin}`);
      } catch (e) {
        console.log(`fails: ${c.origin}\n${errorText(e)}`);
        process.exitCode = 1;
      }
    }
    return;
  }
  const seed = Number(o.seed);
  if (o.dump !== undefined) {
    const run = Number(o.dump);
    console.log(save(o.failures, { seed, run, error: o.why, case: caseAt(seed, run) }));
    return;
  }
  const runs = Number(o.runs);
  const skip = Number(o.skip);
  const current = o.current ? openSync(o.current, 'w') : undefined;
  const progress: Progress = { type: 'progress', runs: skip, failures: 0, levels: { analysis: 0, search: 0, full: 0 }, slowest: null, mix: LONG_MIX };
  const failed: SavedFailure[] = [];
  let run = 0;
  let reported = Date.now();
  const beat = () => {
    if (Date.now() - reported < 1000) return;
    reported = Date.now();
    send(progress);
  };
  fc.check(
    fc.property(arbitrary(), (c) => {
      const k = run++;
      // Runs before `skip` were done by a worker that crashed or hung: regenerated, not rerun.
      if (k < skip) return;
      if (k === skip) send({ type: 'ready' });
      if (current !== undefined) writeSync(current, `${k}`.padEnd(16), 0);
      try {
        const r = checkPipeline(parser, c);
        if (!progress.slowest || r.ms > progress.slowest.ms) progress.slowest = { ms: r.ms, run: k, origin: c.origin, level: c.level };
      } catch (e) {
        progress.failures++;
        const failure: SavedFailure = { seed, run: k, error: errorText(e), case: c };
        failed.push(failure);
        send({ type: 'failure', run: k, origin: c.origin, error: failure.error, file: save(o.failures, failure) });
      }
      progress.runs++;
      progress.levels[c.level]++;
      beat();
    }),
    { seed, numRuns: runs },
  );
  send({ ...progress, type: 'done' });
  // Shrinking runs the property inside another fast-check run, so it waits until the run is over.
  for (const failure of failed.slice(0, SHRUNK_PER_WORKER)) {
    failure.shrunk = shrink(parser, seed, failure.run, beat);
    if (failure.shrunk) send({ type: 'shrunk', run: failure.run, file: save(o.failures, failure), text: failure.shrunk.case.text });
  }
}

void main();
