// The rules against Megatron-Core itself: 1,000 layouts labelled by running its initialisation
// code (test/reference/). Each layout is written as a NeMo script with llm.train (which, unlike
// llm.pretrain, adds no NeMo check of its own) and analysed end to end. The rules that Megatron
// checks at initialisation must fire exactly on the layouts it refused; the layer-split rules
// exactly where its layer-split function failed; and the build and first-step rules wherever the
// oracle's generator planted such a violation.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { ruleByCode } from '../../server/src/rules/registry';
import { analyze } from '../helpers/analyze';

interface OracleRow {
  config: {
    id: string;
    perturbation: string | null;
    arch: Record<string, unknown>;
    world_size: number;
    tp: number;
    pp: number;
    vp: number | null;
    cp: number;
    ep: number;
    etp: number | null;
    sequence_parallel: boolean;
    micro_batch: number;
    global_batch: number;
    seq_length: number;
    num_layers_in_first_pipeline_stage?: number | null;
    num_layers_in_last_pipeline_stage?: number | null;
    account_for_embedding_in_pipeline_split?: boolean;
    account_for_loss_in_pipeline_split?: boolean;
    expected_violations: { rule: string; where: string }[];
  };
  label: { valid: boolean; failures: { stage: string; message: string }[]; build_layer_split: { ok: boolean | null } };
}

const rows = gunzipSync(readFileSync(join(__dirname, '..', 'reference', 'megatron-init-labels.jsonl.gz')))
  .toString('utf8')
  .split('\n')
  .filter(Boolean)
  .map((l) => JSON.parse(l) as OracleRow);

/** The oracle generator's rule ids for checks made after initialisation, and our codes. */
const LATER_CHECKS: Record<string, string[]> = {
  'build-experts-div-ep': ['RL208'],
  'build-divide-ffn': ['RL203', 'RL204'],
  'build-layers-per-stage': ['RL205', 'RL206'],
  'cp-seq-divisible': ['RL213'],
  'sp-seq-divisible': ['RL214'],
  'sched-vp-group': ['RL302'],
  'rt-topk-le-experts': ['RL209'],
};

function py(v: unknown): string {
  if (v === null || v === undefined) return 'None';
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (Array.isArray(v)) return `[${v.map(py).join(', ')}]`;
  return typeof v === 'string' ? JSON.stringify(v) : String(v);
}

function script(c: OracleRow['config']): string {
  const perNode = c.world_size % 8 === 0 ? 8 : c.world_size;
  const split = ['num_layers_in_first_pipeline_stage', 'num_layers_in_last_pipeline_stage', 'account_for_embedding_in_pipeline_split', 'account_for_loss_in_pipeline_split']
    .filter((k) => (c as unknown as Record<string, unknown>)[k] !== undefined)
    .map((k) => `    ${k}=${py((c as unknown as Record<string, unknown>)[k])},`);
  return [
    'from nemo import lightning as nl',
    'from nemo.collections import llm',
    'config = llm.GPTConfig(',
    ...Object.entries(c.arch).map(([k, v]) => `    ${k}=${py(v)},`),
    ')',
    'strategy = nl.MegatronStrategy(',
    `    tensor_model_parallel_size=${c.tp},`,
    `    pipeline_model_parallel_size=${c.pp},`,
    `    virtual_pipeline_model_parallel_size=${py(c.vp)},`,
    `    context_parallel_size=${c.cp},`,
    `    expert_model_parallel_size=${c.ep},`,
    `    expert_tensor_parallel_size=${py(c.etp)},`,
    `    sequence_parallel=${py(c.sequence_parallel)},`,
    ...split,
    ')',
    `trainer = nl.Trainer(devices=${perNode}, num_nodes=${c.world_size / perNode}, strategy=strategy)`,
    `data = llm.MockDataModule(seq_length=${c.seq_length}, micro_batch_size=${c.micro_batch}, global_batch_size=${c.global_batch})`,
    'llm.train(model=llm.GPTModel(config), data=data, trainer=trainer)',
    '',
  ].join('\n');
}

describe('rules against Megatron-Core (1,000 labelled layouts)', () => {
  it('agree with Megatron-Core on every layout', async () => {
    assert.equal(rows.length, 1000);
    const disagreements: string[] = [];
    for (const row of rows) {
      const c = row.config;
      const { plans, diagnostics } = await analyze(script(c), { verifyFixes: false });
      const where = `${c.id} (${c.perturbation ?? 'unperturbed'})`;
      if (plans.length !== 1) {
        disagreements.push(`${where}: ${plans.length} plans`);
        continue;
      }
      const errors = diagnostics.filter((d) => d.severity === 'error');
      const atInit = errors.filter((d) => ruleByCode(d.code)?.stage === 'init');
      if (atInit.length === 0 !== row.label.valid) {
        disagreements.push(`${where}: Megatron-Core says ${row.label.valid ? 'valid' : `invalid (${row.label.failures.map((f) => f.message).join('; ')})`}, the init rules say ${atInit.map((d) => `${d.code} ${d.message}`).join('; ') || 'valid'}`);
      }
      const splitRule = errors.some((d) => d.code === 'RL205' || d.code === 'RL206');
      if (row.label.build_layer_split.ok !== null && splitRule === row.label.build_layer_split.ok) {
        disagreements.push(`${where}: Megatron's layer split ${row.label.build_layer_split.ok ? 'works' : 'fails'}, RL205/RL206 ${splitRule ? 'fire' : 'do not fire'}`);
      }
      for (const v of c.expected_violations) {
        const codes = LATER_CHECKS[v.rule];
        if (codes && !errors.some((d) => codes.includes(d.code))) disagreements.push(`${where}: ${v.rule} (${v.where}) is planted but none of ${codes.join(', ')} fires`);
      }
    }
    assert.deepEqual(disagreements, []);
  });
});
