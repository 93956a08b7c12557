// Parameter counts of the memory model's shapes against the totals the catalog publishes for each
// NeMo model config, and the worked example of the memory-model fact sheet (section 6: a
// Llama-3-70B-like model on TP 8, PP 4, sequence 8192, micro-batch 1, bf16, distributed optimizer).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nemoCatalog } from '../../server/src/catalog/nemoRecipes';
import { estimateMemory } from '../../server/src/memory/estimate';
import { findGpu } from '../../server/src/memory/gpus';
import { totalParameters, type ModelShape } from '../../server/src/memory/shape';
import type { TrainingSetup } from '../../server/src/memory/setup';
import { pipelineStages } from '../../server/src/memory/stages';
import { stateBytes } from '../../server/src/memory/state';
import { llamaStyle } from './calibrationRuns';

const GiB = 2 ** 30;

function shapeOfConfig(fields: Record<string, unknown>, effective: Record<string, unknown>, vocab: number): ModelShape {
  const f = { ...fields, ...effective } as Record<string, never>;
  const num = (k: string, d = 0): number => (typeof f[k] === 'number' ? f[k] : d);
  const experts = num('num_moe_experts');
  return {
    layers: num('num_layers'),
    hidden: num('hidden_size'),
    ffn: num('ffn_hidden_size'),
    heads: num('num_attention_heads'),
    queryGroups: num('num_query_groups', num('num_attention_heads')),
    kvChannels: num('kv_channels'),
    vocab,
    makeVocabDivisibleBy: num('make_vocab_size_divisible_by', 128),
    tiedEmbeddings: f['share_embeddings_and_output_weights'] === true,
    gated: f['gated_linear_unit'] === true,
    bias: f['add_bias_linear'] === true,
    qkvBias: f['add_qkv_bias'] === true,
    qkLayernorm: f['qk_layernorm'] === true,
    layerNorm: f['normalization'] === 'LayerNorm',
    rotary: f['position_embedding_type'] === 'rope',
    learnedPositions: f['position_embedding_type'] === 'learned_absolute' ? num('seq_length') : 0,
    moe: experts
      ? {
          experts,
          topk: num('moe_router_topk', 2),
          ffn: num('moe_ffn_hidden_size'),
          sharedFfn: num('moe_shared_expert_intermediate_size'),
          layerFreq: (f['moe_layer_freq'] as number | number[] | undefined) ?? 1,
        }
      : null,
    mla:
      f['multi_latent_attention'] === true
        ? { qLoraRank: num('q_lora_rank') || null, kvLoraRank: num('kv_lora_rank'), qkHeadDim: num('qk_head_dim'), qkPosEmbHeadDim: num('qk_pos_emb_head_dim'), vHeadDim: num('v_head_dim') }
        : null,
    mtpLayers: num('mtp_num_layers'),
  };
}

test('parameter counts match the published total of every catalog model the formula covers, within 1%', () => {
  let checked = 0;
  for (const [name, config] of Object.entries(nemoCatalog().modelConfigs)) {
    const count = config.parameterCount as { total?: number | null; vocabUsed?: number | null; method?: string };
    if (!count.total || !count.vocabUsed || !['mcore-gpt', 'mcore-gpt-moe', 'mcore-gpt-mla-moe'].includes(count.method ?? '')) continue;
    const shape = shapeOfConfig(config.fields, (config as { effective?: Record<string, unknown> }).effective ?? {}, count.vocabUsed);
    const error = Math.abs(totalParameters(shape) / count.total - 1);
    assert.ok(error < 0.01, `${name}: ${totalParameters(shape)} against ${count.total}`);
    checked++;
  }
  assert.ok(checked >= 30, `checked ${checked} configs`);
});

const llama70b: ModelShape = llamaStyle({ layers: 80, hidden: 8192, ffn: 28672, heads: 64, queryGroups: 8, vocab: 128256, tiedEmbeddings: false, gated: true });

function workedExample(dp: number, overrides: Partial<TrainingSetup['layout']> = {}, microbatches: number | null = 512): TrainingSetup {
  return {
    model: llama70b,
    layout: { tp: 8, pp: 4, vp: null, cp: 1, ep: 1, etp: 8, dp, sequenceParallel: true, vpGroup: null, firstStageLayers: null, lastStageLayers: null, accountEmbedding: false, accountLoss: false, ...overrides },
    batch: { micro: 1, seq: 8192, microbatches },
    dtype: 'bf16',
    fp8: null,
    optimizer: { distributed: true, gradReduceInFp32: true },
    recompute: { granularity: 'selective', modules: ['core_attn'] },
    lora: null,
    attentionBackend: 'flash',
    implementation: 'transformer-engine',
    gpu: findGpu('h100-80gb')!,
  };
}

test('worked example 6.1: the total and the most loaded stage hold the fact sheet\'s parameters', () => {
  // 70,553,706,496 with the unpadded vocabulary (the fact sheet: 70.55 B).
  assert.equal(totalParameters(llama70b), 70_553_706_496);
  const setup = workedExample(1);
  const [first, , , last] = pipelineStages(80, setup.layout, 512).map((stage) => stateBytes(setup, stage).parameters);
  // N_tp = 2,271,215,616 plus the stage's norms; the fact sheet spreads the final norm over the
  // stages (329,728 replicated), the model puts it on the last stage where it lives.
  assert.equal(first, 2_271_215_616 + 20 * 16_384);
  assert.equal(last, 2_271_215_616 + 20 * 16_384 + 8_192);
});

test('worked example 6.2: weights, gradients and optimizer state are 38.08 GiB at DP 1 and 15.87 GiB at DP 8', () => {
  for (const [dp, gib] of [[1, 38.08], [8, 15.87]] as const) {
    const estimate = estimateMemory(workedExample(dp));
    const first = estimate.stages[0]!.breakdown;
    assert.equal(((first.weights + first.gradients + first.optimizer) / GiB).toFixed(2), gib.toFixed(2), `DP ${dp}`);
  }
});

test('worked example 6.3: the interleaved schedule holds 1 + (p - 1)/(p v) times the layers, two micro-batches half of them', () => {
  const stage0 = (setup: TrainingSetup) => pipelineStages(80, setup.layout, setup.batch.microbatches)[0]!.layersInFlight;
  assert.equal(stage0(workedExample(1)), 80);
  assert.equal(stage0(workedExample(1, { vp: 5 })) / 80, 1 + 3 / 20);
  assert.equal(stage0(workedExample(8, {}, 2)), 40);
});

test('worked example 6.4: the layout fits an H100 at DP 1 and DP 8, and does not without sequence parallelism', () => {
  for (const dp of [1, 8]) {
    const e = estimateMemory(workedExample(dp));
    assert.ok(e.peakBytes < e.capacityBytes, `DP ${dp}: ${(e.peakBytes / GiB).toFixed(1)} GiB`);
  }
  const noSp = estimateMemory(workedExample(1, { sequenceParallel: false }));
  // Without SP the norms' tensors are whole on each of the 8 TP ranks: far more than 80 GB.
  assert.ok(noSp.peakBytes > noSp.capacityBytes, `SP off: ${(noSp.peakBytes / GiB).toFixed(1)} GiB`);
});
