// The memory model against every measured run of the calibration set (Megatron-Core 0.20 on
// H100 80GB): the modelled tensors against PyTorch's peak allocation, the estimate with its
// overhead against what nvidia-smi showed, per pipeline stage (the most loaded rank of the stage),
// and the out-of-memory verdict of every run. Prints the error table.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { estimateMemory } from '../../server/src/memory/estimate';
import { calibrationRuns, setupOfRun, type Run } from './calibrationRuns';

const GiB = 2 ** 30;

interface Row {
  run: Run;
  stage: number;
  allocatedError: number;
  nvmlError: number;
  estimatedTensors: number;
  measuredAllocated: number;
  estimatedPeak: number;
  measuredNvml: number;
}

const runs = calibrationRuns();
const rows: Row[] = [];
for (const run of runs) {
  const estimate = estimateMemory(setupOfRun(run));
  for (const stage of estimate.stages) {
    const ranks = run.per_rank.filter((r) => r.pp_rank === stage.stage);
    const measuredAllocated = Math.max(...ranks.map((r) => r.max_memory_allocated));
    const measuredNvml = Math.max(...ranks.map((r) => r.nvml_used_max_sampled));
    rows.push({
      run,
      stage: stage.stage,
      allocatedError: stage.tensorBytes / measuredAllocated - 1,
      nvmlError: stage.peakBytes / measuredNvml - 1,
      estimatedTensors: stage.tensorBytes,
      measuredAllocated,
      estimatedPeak: stage.peakBytes,
      measuredNvml,
    });
  }
}

const ok = rows.filter((r) => r.run.status === 'ok');

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
}

const pct = (x: number) => `${x >= 0 ? '+' : ''}${(100 * x).toFixed(1)}%`;
const gib = (x: number) => (x / GiB).toFixed(2).padStart(6);

test('prints the error table of the calibration runs', () => {
  const lines = [
    'run                                        stage status  tensors GiB (est / measured)      with overhead GiB (est / nvidia-smi)',
    ...rows.map(
      (r) =>
        `${r.run.name.padEnd(42)} ${String(r.stage).padStart(5)} ${r.run.status.padEnd(6)} ${gib(r.estimatedTensors)} / ${gib(r.measuredAllocated)} ${pct(r.allocatedError).padStart(7)}    ${gib(r.estimatedPeak)} / ${gib(r.measuredNvml)} ${pct(r.nvmlError).padStart(7)}`,
    ),
  ];
  const summary = (name: string, xs: number[]) => `${name}: median ${pct(median(xs.map(Math.abs)))}, maximum ${pct(Math.max(...xs.map(Math.abs)))} over ${xs.length} stages of runs that fitted`;
  lines.push(summary('tensors against max_memory_allocated', ok.map((r) => r.allocatedError)));
  lines.push(summary('estimate with overhead against nvidia-smi', ok.map((r) => r.nvmlError)));
  console.log(lines.join('\n'));
  assert.equal(rows.length, runs.reduce((n, r) => n + r.pp, 0));
});

test('tensors are within 5% median and 10% maximum of max_memory_allocated', () => {
  const errors = ok.map((r) => Math.abs(r.allocatedError));
  assert.ok(median(errors) <= 0.05, `median ${pct(median(errors))}`);
  const worst = ok.reduce((a, b) => (Math.abs(b.allocatedError) > Math.abs(a.allocatedError) ? b : a));
  assert.ok(Math.abs(worst.allocatedError) <= 0.1, `${worst.run.name} stage ${worst.stage}: ${pct(worst.allocatedError)}`);
});

test('the estimate with its overhead is within 5% median and 10% maximum of nvidia-smi', () => {
  const errors = ok.map((r) => Math.abs(r.nvmlError));
  assert.ok(median(errors) <= 0.05, `median ${pct(median(errors))}`);
  const worst = ok.reduce((a, b) => (Math.abs(b.nvmlError) > Math.abs(a.nvmlError) ? b : a));
  assert.ok(Math.abs(worst.nvmlError) <= 0.1, `${worst.run.name} stage ${worst.stage}: ${pct(worst.nvmlError)}`);
});

test('every run that ran out of memory is estimated above the usable memory, and no run that fitted is', () => {
  const oom = runs.filter((r) => r.status === 'oom');
  assert.ok(oom.length >= 2, 'the set has out-of-memory runs');
  for (const run of runs) {
    const estimate = estimateMemory(setupOfRun(run));
    const over = estimate.peakBytes > estimate.capacityBytes;
    assert.equal(over, run.status === 'oom', `${run.name}: estimated ${gib(estimate.peakBytes)} GiB of ${gib(estimate.capacityBytes)} GiB, measured ${run.status}`);
  }
});

test('every rank holds the parameters Megatron-Core reported', () => {
  for (const run of runs) {
    const estimate = estimateMemory(setupOfRun(run));
    for (const rank of run.per_rank) {
      assert.equal(estimate.stages[rank.pp_rank]!.parameters, rank.num_params, `${run.name} rank tp${rank.tp_rank} pp${rank.pp_rank} dp${rank.dp_rank}`);
    }
  }
});
