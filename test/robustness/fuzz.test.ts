// The quick profile of the property-based tests (test/fuzz/pipeline.ts says what they check): a
// few hundred mutated recipes and random texts through the whole pipeline, with fixed seeds so
// that a failure repeats (fast-check prints the seed and the path of the shrunk counterexample;
// `npm run fuzz` runs the long profile). The slowest case is reported, not asserted: machines
// are noisy.
import fc from 'fast-check';
import { describe, it, type TestContext } from 'node:test';
import { pythonParser } from '../helpers/analyze';
import { checkPipeline, generatedArb, mutatedSeedArb, QUICK_MIX, type FuzzCase } from '../fuzz/pipeline';

const HANG_GUARD = { timeout: 300_000 };

async function run(t: TestContext, arbitrary: fc.Arbitrary<FuzzCase>, seed: number, numRuns: number): Promise<void> {
  const parser = await pythonParser();
  const started = performance.now();
  let slowest = { ms: 0, origin: '' };
  let withPlans = 0;
  let reanalysed = 0;
  fc.assert(
    fc.property(arbitrary, (c) => {
      const report = checkPipeline(parser, c);
      if (report.ms > slowest.ms) slowest = { ms: report.ms, origin: `${c.origin} (${c.level})` };
      withPlans += report.plans ? 1 : 0;
      reanalysed += report.reanalysed;
    }),
    // The error in the message: node:test does not print an Error's cause.
    { seed, numRuns, includeErrorInReport: true },
  );
  const seconds = (performance.now() - started) / 1000;
  t.diagnostic(`${numRuns} cases in ${seconds.toFixed(1)} s (${(numRuns / seconds).toFixed(0)} cases/s), ${withPlans} with jobs, ${reanalysed} fixes and layouts re-analysed; slowest ${slowest.ms.toFixed(0)} ms: ${slowest.origin}`);
}

describe('the pipeline on fuzzed input', HANG_GUARD, () => {
  it('survives mutated recipes, and their fixes hold', (t) => run(t, mutatedSeedArb(QUICK_MIX), 20_260_101, 400));

  it('survives random text', (t) => run(t, generatedArb(QUICK_MIX), 20_260_102, 1000));
});
