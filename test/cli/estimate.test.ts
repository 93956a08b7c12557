// `recipe-lens estimate`: reading a plan given as JSON. Every calibration run, written as the JSON
// a user would give, must estimate exactly as the run's own setup does; the built CLI prints the
// table and the plan with `memory` filled, and refuses input it cannot read.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { estimateMemory } from '../../server/src/memory/estimate';
import { setupFromInput } from '../../server/src/memory/estimateInput';
import { calibrationRuns, setupOfRun, type Run } from '../memory/calibrationRuns';

const ROOT = join(__dirname, '..', '..');
const BIN = join(ROOT, 'bin', 'recipe-lens.js');

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A calibration run as the plan JSON of docs/cli.md. */
function planOfRun(run: Run) {
  const m = run.model;
  return {
    model: {
      numLayers: m.layers,
      hiddenSize: m.hidden,
      numAttentionHeads: m.heads,
      numQueryGroups: m.query_groups,
      ffnHiddenSize: m.ffn,
      vocabSize: m.vocab,
      tiedEmbeddings: m.tied_embeddings,
      gatedLinearUnit: m.swiglu,
      normalization: 'RMSNorm',
      addBiasLinear: false,
      positionEmbeddingType: 'rope',
      ...(run.moe ? { numMoeExperts: run.moe.num_experts, moeRouterTopk: run.moe.topk, moeFfnHiddenSize: run.moe.moe_ffn_hidden_size } : {}),
    },
    world: { size: run.tp * run.pp * run.cp * run.dp },
    parallelism: { tp: run.tp, pp: run.pp, vp: run.vp, cp: run.cp, ep: run.ep, etp: run.moe?.etp ?? null, sequenceParallel: run.sp },
    batch: { global: run.gbs, micro: run.mbs, seqLength: m.seq },
    precision: 'bf16-mixed',
    optimizer: { distributed: run.distributed_optimizer, gradReduceInFp32: run.accumulate_allreduce_grads_in_fp32 && !run.grad_reduce_in_bf16 },
    recompute: run.recompute === 'none' ? { granularity: null } : { granularity: run.recompute, method: run.recompute_detail.recompute_method, numLayers: run.recompute_detail.recompute_num_layers },
    gpu: 'h100-80gb',
    attentionBackend: run.attn_impl === 'local' ? 'unfused' : 'flash',
  };
}

describe('recipe-lens estimate', () => {
  it('estimates every calibration run given as plan JSON as the memory model does', () => {
    for (const run of calibrationRuns()) {
      const result = setupFromInput(planOfRun(run));
      assert.ok('setup' in result, `${run.name}: ${'errors' in result ? result.errors.join('; ') : ''}`);
      assert.deepEqual(estimateMemory(result.setup).stages, estimateMemory(setupOfRun(run)).stages, run.name);
    }
  });

  it('takes Megatron-Core defaults for what is left out', () => {
    const result = setupFromInput({ model: { numLayers: 2, hiddenSize: 64, numAttentionHeads: 4, vocabSize: 1000 }, batch: { seqLength: 128 } });
    assert.ok('setup' in result);
    const s = result.setup;
    assert.deepEqual([s.model.ffn, s.model.queryGroups, s.model.gated, s.model.bias, s.model.tiedEmbeddings, s.model.layerNorm, s.model.learnedPositions], [256, 4, false, true, true, true, 128]);
    assert.deepEqual([s.layout.tp, s.layout.pp, s.layout.dp, s.batch.micro, s.optimizer.distributed, s.gpu.id, s.attentionBackend], [1, 1, 1, 1, false, 'h100-80gb', 'flash']);
  });

  it('prints the per-stage table, and the plan with memory filled in JSON', (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'recipe-lens-estimate-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const run = calibrationRuns().find((r) => r.name === 'g4_8b_pp4_s4096_m1')!;
    const file = join(dir, 'plan.json');
    writeFileSync(file, JSON.stringify(planOfRun(run)));
    const text = cli('estimate', file);
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /layout {5}W = TP 1 x PP 4 x CP 1 x DP 1 = 4 · SP off/);
    assert.match(text.stdout, /memory {5}64\.1\/79\.6 GiB per GPU on the NVIDIA H100 80GB HBM3 \(SXM\) \(±5%\)/);
    assert.match(text.stdout, /\n {2}0\* {5}4\.2 {10}8\.5 {10}25\.4/);
    const json = cli('estimate', '--format', 'json', file);
    assert.equal(json.code, 0, json.stderr);
    const plan = JSON.parse(json.stdout);
    assert.equal(plan.model.numLayers, 32);
    assert.equal(plan.memory.gpu, 'h100-80gb');
    assert.equal(plan.memory.capacityBytes, 81559 * 2 ** 20);
    assert.equal(plan.memory.peakStage, 0);
    assert.equal(plan.memory.stages.length, 4);
    assert.equal(plan.memory.peakBytes, plan.memory.stages[0].peakBytes);
    const b = plan.memory.breakdown;
    assert.ok(Math.abs(b.weights + b.gradients + b.optimizer + b.activations + b.overhead - plan.memory.peakBytes) <= 5);
  });

  it('refuses a plan it cannot read, naming the problem', (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'recipe-lens-estimate-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const file = join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify({ model: { numLayers: 2, hiddenSize: 64, numAttentionHeads: 4, vocabSize: 1000 }, batch: { seqLength: 128 }, gpu: 'h300' }));
    const r = cli('estimate', file);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /gpu: unknown GPU "h300"; the catalog has h100-80gb, /);
    writeFileSync(file, '{"model": {"numLayers": "many"}}');
    assert.match(cli('estimate', file).stderr, /model\.numLayers: /);
    assert.equal(cli('estimate', join(dir, 'missing.json')).code, 2);
  });
});
