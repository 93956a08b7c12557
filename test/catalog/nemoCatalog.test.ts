// The catalog, through the evaluator, against the fact sheet it was built from: for every NeMo
// recipe module, calling its factories in a script must resolve to the layout, batch and
// optimizer the fact sheet records for pretraining, full SFT and LoRA; every model config must
// resolve to its architecture; and the parameter count must match the published one.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { nemoCatalog } from '../../server/src/catalog/nemoRecipes';
import type { Plan } from '../../server/src/plan/plan';
import { analyze } from '../helpers/analyze';

interface Quick {
  tp?: number;
  pp?: number;
  vpp?: number | null;
  cp?: number;
  sp?: boolean;
  ep?: number;
  etp?: number | null;
  num_nodes: number;
  devices: number;
  globalBatchSize?: number;
  microBatchSize?: number;
  seqLength?: number;
  distributedOptimizer?: boolean;
  peft?: string | null;
  strategy?: string;
  error?: string;
}

interface FactModel {
  role: string;
  configClass?: string;
  architecture?: { effective: Record<string, number>; vocab_size?: number | null; share_embeddings_and_output_weights: boolean } & Record<string, unknown>;
  parameterCount?: { total: number | null; vocabUsed: number | null };
  functions: Record<string, Record<string, unknown>>;
  finetune?: Record<string, { calledWithExtraKwargs?: Record<string, unknown> } | undefined>;
  quick?: Record<string, Quick | string | undefined>;
}

const facts = JSON.parse(gunzipSync(readFileSync(join(__dirname, '..', 'reference', 'nemo-recipes.json.gz'))).toString('utf8')) as { models: Record<string, FactModel> };
const recipes = Object.entries(facts.models).filter(([, m]) => m.role === 'recipe');

function pyLiteral(v: unknown): string {
  if (v === null) return 'None';
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  return JSON.stringify(v);
}

async function onlyPlan(source: string): Promise<Plan> {
  const { plans } = await analyze(source);
  assert.equal(plans.length, 1, `expected one plan from:\n${source}`);
  return plans[0]!;
}

function compareLayout(plan: Plan, q: Quick, where: string): void {
  const p = plan.parallelism;
  const checks: [string, unknown, unknown][] = [
    ['tp', p.tp.value, q.tp],
    ['pp', p.pp.value, q.pp],
    ['vp', p.vp.value, q.vpp],
    ['cp', p.cp.value, q.cp],
    ['sp', p.sequenceParallel.value, q.sp],
    ['ep', p.ep.value, q.ep],
    ['etp', p.etp.value, q.etp],
    ['nodes', plan.world.nodes.value, q.num_nodes],
    ['gpus per node', plan.world.gpusPerNode.value, q.devices],
    ['global batch', plan.batch.global.value, q.globalBatchSize],
    ['micro batch', plan.batch.micro.value, q.microBatchSize],
    ['sequence length', plan.batch.seqLength.value, q.seqLength],
    ['distributed optimizer', plan.optimizer.distributed.value, q.distributedOptimizer],
    ['peft', plan.peft === null ? null : plan.peft.scheme.value, q.peft ? 'lora' : null],
  ];
  for (const [name, actual, expected] of checks) assert.deepEqual(actual, expected ?? null, `${where}: ${name}`);
}

describe('NeMo recipe catalog', () => {
  it('covers every recipe module of the fact sheet', () => {
    const catalog = nemoCatalog();
    for (const [name] of recipes) assert.ok(catalog.recipes[name], `${name} is missing from the catalog`);
    assert.equal(Object.keys(catalog.recipes).length, recipes.length);
  });

  it('indexes every recipe\'s model class, citing the first recipe that names it', () => {
    const catalog = nemoCatalog();
    const named = Object.values(catalog.recipes).flatMap((r) => (r.modelClass ? [r.modelClass] : []));
    assert.deepEqual(Object.keys(catalog.modelClasses).sort(), [...new Set(named)].sort());
    for (const [cls, { source }] of Object.entries(catalog.modelClasses)) {
      const first = Object.values(catalog.recipes).find((r) => r.modelClass === cls)!;
      assert.deepEqual(source, first.source, cls);
    }
  });

  for (const [name, m] of recipes) {
    describe(name, () => {
      const pre = m.quick?.['pretrain'];
      if (pre && typeof pre === 'object' && pre.error) {
        it(`pretrain_recipe() raises in NeMo: no plan, and the problem is recorded`, async () => {
          const { plans, problems } = await analyze(`from nemo.collections.llm.recipes import ${name}\nrecipe = ${name}.pretrain_recipe()\n`);
          assert.equal(plans.length, 0);
          assert.match(problems.map((p) => p.message).join('\n'), /raises/);
        });
      } else if (pre && typeof pre === 'object') {
        it('pretrain_recipe() resolves to the recorded layout', async () => {
          const plan = await onlyPlan(`from nemo.collections.llm.recipes import ${name}\nrecipe = ${name}.pretrain_recipe()\n`);
          if (pre.strategy) assert.ok(plan.parallelism.tp.unknown?.includes('strategy'), 'a non-Megatron strategy leaves the layout unknown');
          else compareLayout(plan, pre, `${name} pretrain`);
        });
      }
      const variants: [string, string, string][] = 'peft_scheme' in (m.functions['finetune_recipe'] ?? {})
        ? [['finetune_fullSFT', 'fullSFT', 'peft_scheme=None'], ['finetune_lora', 'lora', "peft_scheme='lora'"]]
        : [['finetune_default', 'default', '']];
      for (const [key, scenario, arg] of variants) {
        const q = m.quick?.[key];
        if (!q || typeof q !== 'object' || q.error) continue;
        it(`finetune_recipe(${arg}) resolves to the recorded layout`, async () => {
          const extra = Object.entries(m.finetune?.[scenario]?.calledWithExtraKwargs ?? {}).map(([k, v]) => `${k}=${pyLiteral(v)}`);
          const args = [arg, ...extra].filter(Boolean).join(', ');
          const plan = await onlyPlan(`from nemo.collections.llm.recipes import ${name}\nrecipe = ${name}.finetune_recipe(${args})\n`);
          if (q.strategy) assert.ok(plan.parallelism.tp.unknown?.includes('strategy'));
          else compareLayout(plan, q, `${name} ${key}`);
        });
      }
    });
  }
});

describe('model architectures and parameter counts', () => {
  const seen = new Set<string>();
  for (const [name, m] of recipes) {
    if (!m.configClass || !m.architecture || seen.has(m.configClass)) continue;
    seen.add(m.configClass);
    const arch = m.architecture;
    const count = m.parameterCount;
    it(`${m.configClass} (${name})`, async () => {
      const plan = await onlyPlan(`import nemo_run as run\nfrom nemo.collections import llm\nfrom nemo import lightning as nl\njob = run.Partial(llm.pretrain, model=run.Config(llm.GPTModel, config=run.Config(llm.${m.configClass})), trainer=run.Config(nl.Trainer, strategy=run.Config(nl.MegatronStrategy)))\n`);
      const a = plan.model;
      assert.equal(a.numLayers.value, arch['num_layers']);
      assert.equal(a.hiddenSize.value, arch['hidden_size']);
      assert.equal(a.numAttentionHeads.value, arch['num_attention_heads']);
      assert.equal(a.ffnHiddenSize.value, arch.effective['ffn_hidden_size']);
      assert.equal(a.numQueryGroups.value, arch.effective['num_query_groups']);
      assert.equal(a.kvChannels.value, arch.effective['kv_channels']);
      assert.equal(a.tiedEmbeddings.value, arch.share_embeddings_and_output_weights);
      const vocab = arch.vocab_size ?? count?.vocabUsed ?? null;
      assert.equal(a.vocabSize.value, vocab);
      if (count?.total) {
        assert.notEqual(a.parameters.value, null, `parameters unknown: ${a.parameters.unknown}`);
        // The fact sheet leaves out the per-head query/key norms of MoE models (a few thousand
        // parameters in billions); everything else must match exactly.
        const error = Math.abs(a.parameters.value! - count.total) / count.total;
        assert.ok(error < 1e-6, `parameters ${a.parameters.value} vs published ${count.total} (${(error * 100).toFixed(3)}%)`);
      }
    });
  }
});
