#!/usr/bin/env node
// Builds server/catalog/nemo-recipes.json, the project's catalog of NeMo 2.0 recipes, from the
// fact sheet gathered for the project (shared/reference/nemo-recipes.json, read from NVIDIA/NeMo at
// the commit recorded in it). Run it when the fact sheet changes:
//
//   node scripts/build-nemo-catalog.mjs ../shared/reference/nemo-recipes.json
//
// The output is committed; the evaluator builds recipe objects from its trees, and
// test/catalog checks it against the fact sheet.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const input = process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), '../../shared/reference/nemo-recipes.json');
const facts = JSON.parse(readFileSync(input, 'utf8'));
const out = join(dirname(fileURLToPath(import.meta.url)), '../server/catalog/nemo-recipes.json');

const helpers = facts.precisionPlugins.helpers;

function expandPlugin(p) {
  if (p == null) return null;
  if (typeof p === 'string') return { ...helpers[p], _helper_: p };
  if (Array.isArray(p)) return p.map(expandPlugin);
  if ('raw' in p) return p.raw;
  if ('kwargs' in p) return { ...p.kwargs };
  throw new Error(`unexpected precision plugin ${JSON.stringify(p)}`);
}

function normalisePeft(peft) {
  if (peft == null) return undefined;
  const { _target_, ...rest } = peft;
  const scheme = /PEFT_STR2CLS\['(\w+)'\]/.exec(_target_)?.[1];
  return { _target_: scheme === 'dora' ? 'DoRA' : 'LoRA', ...rest };
}

function strategyTree(s) {
  if (s.strategyRaw != null) return s.strategyRaw;
  return { _target_: 'MegatronStrategy', ...s.parallelism, ...(s.strategyOtherKwargs ?? {}), ddp: s.ddp };
}

function scenarioTree(module, s, target) {
  if (s == null) return undefined;
  if (s.error) return { error: s.error };
  const tree = {
    _target_: target,
    _partial_: true,
    model: {
      _target_: module.modelClass ?? 'HFAutoModelForCausalLM',
      ...(module.configClass ? { config: { _target_: module.configClass, ...s.modelConfigOverrides } } : {}),
      ...withoutTokenizer(s.modelOtherKwargs),
    },
    trainer: {
      _target_: 'Trainer',
      num_nodes: s.num_nodes,
      devices: s.devices,
      max_steps: s.max_steps,
      ...s.trainerOther,
      strategy: strategyTree(s),
      plugins: expandPlugin(s.precisionPlugin),
    },
    data: s.data,
    optim: s.optim,
  };
  const peft = normalisePeft(s.peft);
  if (peft) tree.peft = peft;
  return tree;
}

function withoutTokenizer(kwargs) {
  if (!kwargs) return {};
  const { tokenizer: _ignored, ...rest } = kwargs;
  return rest;
}

// Performance-mode and packed-sequence differences, as the values they set. Only the parts of the
// recipe a plan reads are kept (callbacks are not); an object that the mode creates is kept whole.
const KEPT_PREFIXES = ['data.', 'model.config.', 'trainer.strategy.', 'trainer.plugins.', 'optim.config.', 'peft.'];

function diffTree(diff) {
  if (!diff) return undefined;
  const result = {};
  const created = Object.keys(diff)
    .filter((p) => p.endsWith('._target_') && diff[p].from === '<absent>')
    .map((p) => p.slice(0, -'._target_'.length));
  for (const [path, { to }] of Object.entries(diff)) {
    if (!KEPT_PREFIXES.some((prefix) => path.startsWith(prefix))) continue;
    if (/\._(args|call)_/.test(path)) continue;
    const owner = created.find((c) => path.startsWith(c + '.'));
    const list = /^(.*)\[(\d+)\]$/.exec(path);
    if (owner) {
      result[owner] ??= {};
      result[owner][path.slice(owner.length + 1)] = to;
    } else if (list) {
      (result[list[1]] ??= [])[Number(list[2])] = to;
    } else {
      result[path] = to === '<absent>' ? null : to;
    }
  }
  return Object.keys(result).length ? result : undefined;
}

function hfId(module) {
  const path = module.finetune?.fullSFT?.resume?.restore_config?.path ?? module.finetune?.lora?.resume?.restore_config?.path;
  return typeof path === 'string' ? path.replace(/^nemo:\/\//, '') : undefined;
}

const ARCH_FAMILY_KEYS = ['hybrid_override_pattern', 'mamba_state_dim', 'mamba_head_dim', 'mamba_num_heads', 'mamba_num_groups', 'is_hybrid_model', 'first_last_layers_bf16', 'moe_router_pre_softmax', 'moe_router_enable_expert_bias', 'moe_shared_expert_overlap'];

function modelConfig(module) {
  const { familySpecific, effective, ...declared } = module.architecture;
  const family = {};
  for (const key of ARCH_FAMILY_KEYS) if (familySpecific && key in familySpecific) family[key] = familySpecific[key];
  return {
    source: { repo: facts.source.repo, commit: facts.source.commit, path: module.configFile },
    mro: module.configMro,
    fields: { ...declared, ...family },
    effective,
    parameterCount: module.parameterCount,
  };
}

const recipes = {};
const modelConfigs = {};
for (const [name, m] of Object.entries(facts.models)) {
  if (m.role !== 'recipe') continue;
  if (m.configClass && m.architecture) modelConfigs[m.configClass] ??= modelConfig(m);
  // Recipes without a peft_scheme parameter (hyena) have a single fine-tune scenario, `default`.
  const hasPeftParameter = m.finetune && !('default' in m.finetune);
  const finetune = m.finetune
    ? {
        defaultPeftScheme: hasPeftParameter ? (m.finetune.defaultPeftScheme ?? null) : null,
        fullSFT: scenarioTree(m, hasPeftParameter ? m.finetune.fullSFT : m.finetune.default, 'finetune'),
        lora: scenarioTree(m, m.finetune.lora, 'finetune'),
        fullSFTPerformance: diffTree(m.finetune.fullSFT?.performanceModeDiff),
        loraPerformance: diffTree(m.finetune.lora?.performanceModeDiff),
        packed: diffTree(m.finetune.packedSequenceTrueDiff),
      }
    : undefined;
  recipes[name] = {
    source: { repo: facts.source.repo, commit: facts.source.commit, path: m.path },
    importable: m.exportedFromRecipesInit,
    modelClass: m.modelClass ?? null,
    configClass: m.configClass ?? null,
    hfId: hfId(m),
    functions: m.functions,
    pretrain: m.pretrain?.error ? { error: m.pretrain.error } : scenarioTree(m, m.pretrain?.default, 'pretrain'),
    pretrainPerformance: diffTree(m.pretrain?.performanceModeDiff),
    finetune,
    trainer: m.trainerFunctionDefaultOutput ? scenarioTree(m, { ...m.trainerFunctionDefaultOutput, data: undefined, optim: undefined }, 'pretrain')?.trainer : undefined,
  };
}

// Python default expressions as read from the sources: "1", "None", "False", "'megatron'".
// Factories (`field(default_factory=...)`) and required parameters have no literal default.
function pyDefault(text) {
  if (text === undefined || text === '<required>' || /^field\(/.test(text)) return undefined;
  if (text === 'None') return null;
  if (text === 'True' || text === 'False') return text === 'True';
  if (/^-?\d+$/.test(text)) return Number(text);
  if (/^-?\d*\.\d+(e-?\d+)?$|^-?\d+e-?\d+$/.test(text)) return Number(text);
  const quoted = /^'(.*)'$|^"(.*)"$/.exec(text);
  if (quoted) return quoted[1] ?? quoted[2];
  return undefined;
}

function classFrom(name, source, params) {
  const defaults = {};
  const order = [];
  for (const p of params) {
    if (p.name.startsWith('*')) continue;
    order.push(p.name);
    const v = pyDefault(p.default);
    if (v !== undefined) defaults[p.name] = v;
  }
  return { source, params: order, defaults };
}

const nemoFile = (path) => ({ repo: facts.source.repo, commit: facts.source.commit, path });
const mcoreFile = (path) => ({ repo: facts.source.related.megatronLM.repo, commit: facts.source.related.megatronLM.commit, path });
const runFile = (path) => ({ repo: facts.executors.source.repo, commit: facts.executors.source.commit, path });

const classes = {
  MegatronStrategy: classFrom('MegatronStrategy', nemoFile(facts.megatronStrategy.file), facts.megatronStrategy.initParams),
  MegatronMixedPrecision: classFrom('MegatronMixedPrecision', nemoFile(facts.precisionPlugins.file), facts.precisionPlugins.initParams),
  DistributedDataParallelConfig: classFrom('DistributedDataParallelConfig', mcoreFile('megatron/core/distributed/distributed_data_parallel_config.py'), facts.ddpConfigDefaults.fields),
  OptimizerConfig: classFrom('OptimizerConfig', mcoreFile('megatron/core/optimizer/optimizer_config.py'), facts.optimizerConfigDefaults.fields),
  Trainer: {
    source: { repo: facts.trainer.lightningSource.repo, commit: facts.trainer.lightningSource.commit, path: facts.trainer.lightningSource.file },
    params: ['accelerator', 'strategy', 'devices', 'num_nodes', 'precision'],
    defaults: facts.trainer.lightningInitDefaults,
  },
};
for (const [name, e] of Object.entries(facts.executors)) {
  if (name === 'source' || name === 'common' || !e.fields) continue;
  classes[name] = classFrom(name, runFile(e.file), [...facts.executors.common.baseFields, ...e.fields]);
  classes[name].params = [];
}

// The model class of each recipe (LlamaModel...), with the first recipe that names it: the
// evaluator looks a class name up here without reading every recipe of the catalog.
const modelClasses = {};
for (const recipe of Object.values(recipes)) if (recipe.modelClass) modelClasses[recipe.modelClass] ??= { source: recipe.source };

const catalog = {
  $comment: 'Generated by scripts/build-nemo-catalog.mjs from the project fact sheet; do not edit by hand.',
  source: facts.source,
  recipes,
  modelClasses,
  modelConfigs,
  classes,
  precisionHelpers: Object.fromEntries(Object.entries(helpers).map(([name, { _target_: _t, ...fields }]) => [name, fields])),
};
writeFileSync(out, JSON.stringify(catalog) + '\n');
console.log(`wrote ${out}: ${Object.keys(recipes).length} recipes, ${Object.keys(modelConfigs).length} model configs`);
