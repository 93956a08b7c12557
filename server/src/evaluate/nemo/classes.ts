// Class models for NeMo, Megatron-Core and NeMo-Run classes: positional parameters and the
// defaults a plan reads when a recipe never sets a field. Signatures read from the sources are in
// the catalog; the few written here say where they come from.
import { bridgeCatalog } from '../../catalog/bridgeRecipes';
import { citation, nemoCatalog } from '../../catalog/nemoRecipes';
import type { ClassModel, Literal } from '../library';
import type { NativeCall, ObjectValue } from '../values';

/** `executor.clone()`: a copy with the same fields (NeMo-Run executors are dataclasses). */
const cloneExecutor: NativeCall = (ctx, call, self) => {
  const original = self as ObjectValue;
  return { kind: 'object', id: ctx.state.newId(), cls: original.cls, form: original.form, attrs: new Map(original.attrs), prov: { ...original.prov, range: call.range }, ...(original.opaque ? { opaque: original.opaque } : {}) };
};

const NEMO = 'NVIDIA/NeMo';

/**
 * Base defaults of NeMo's GPTConfig on top of Megatron-Core's TransformerConfig, for configs built
 * from scratch (`llm.GPTConfig(num_layers=..., ...)`). Read from
 * nemo/collections/llm/gpt/model/base.py (GPTConfig) and megatron/core/transformer/transformer_config.py.
 */
export const GPT_CONFIG_DEFAULTS: Record<string, Literal> = {
  num_layers: 0,
  hidden_size: 0,
  num_attention_heads: 0,
  ffn_hidden_size: null,
  num_query_groups: null,
  kv_channels: null,
  seq_length: 1024,
  vocab_size: null,
  make_vocab_size_divisible_by: 128,
  share_embeddings_and_output_weights: true,
  position_embedding_type: 'learned_absolute',
  gated_linear_unit: false,
  add_bias_linear: true,
  add_qkv_bias: false,
  normalization: 'LayerNorm',
  qk_layernorm: false,
  num_moe_experts: null,
  moe_router_topk: 2,
  moe_ffn_hidden_size: null,
  moe_shared_expert_intermediate_size: null,
  moe_layer_freq: 1,
  moe_router_load_balancing_type: 'aux_loss',
  moe_router_score_function: 'softmax',
  moe_router_pre_softmax: false,
  moe_router_num_groups: null,
  moe_router_group_topk: null,
  moe_router_enable_expert_bias: false,
  moe_token_dispatcher_type: 'allgather',
  moe_grouped_gemm: false,
  moe_shared_expert_overlap: false,
  multi_latent_attention: false,
  q_lora_rank: null,
  kv_lora_rank: null,
  qk_head_dim: null,
  qk_pos_emb_head_dim: null,
  v_head_dim: null,
  mtp_num_layers: null,
  hybrid_override_pattern: null,
  recompute_granularity: null,
  recompute_method: null,
  recompute_num_layers: null,
  recompute_modules: null,
};

/** Data modules: `seq_length=2048, micro_batch_size=4, global_batch_size=8` in NeMo's sources. */
const DATA_DEFAULTS = { seq_length: 2048, micro_batch_size: 4, global_batch_size: 8 };

const HANDWRITTEN: ClassModel[] = [
  {
    name: 'GPTConfig',
    params: [],
    defaults: GPT_CONFIG_DEFAULTS,
    source: `${NEMO} nemo/collections/llm/gpt/model/base.py (GPTConfig) and Megatron-Core TransformerConfig`,
  },
  { name: 'MockDataModule', params: ['seq_length', 'tokenizer', 'micro_batch_size', 'global_batch_size'], defaults: DATA_DEFAULTS, source: `${NEMO} nemo/collections/llm/gpt/data/mock.py` },
  { name: 'PreTrainingDataModule', params: ['paths', 'seq_length', 'tokenizer', 'micro_batch_size', 'global_batch_size'], defaults: DATA_DEFAULTS, source: `${NEMO} nemo/collections/llm/gpt/data/pre_training.py` },
  ...['FineTuningDataModule', 'SquadDataModule', 'AlpacaDataModule', 'DollyDataModule', 'ChatDataModule', 'HFDatasetDataModule'].map(
    (name): ClassModel => ({ name, params: [], defaults: DATA_DEFAULTS, source: `${NEMO} nemo/collections/llm/gpt/data/fine_tuning.py (FineTuningDataModule)` }),
  ),
  {
    name: 'LoRA',
    params: [],
    defaults: { target_modules: ['linear_qkv', 'linear_proj', 'linear_fc1', 'linear_fc2'], dim: 32, alpha: 32 },
    source: `${NEMO} nemo/collections/llm/peft/lora.py`,
  },
  {
    name: 'DoRA',
    params: [],
    defaults: { target_modules: ['linear_qkv', 'linear_proj', 'linear_fc1', 'linear_fc2'], dim: 32, alpha: 64 },
    source: `${NEMO} nemo/collections/llm/peft/dora.py`,
  },
  { name: 'MegatronOptimizerModule', params: ['config', 'lr_scheduler'], defaults: {}, source: `${NEMO} nemo/lightning/pytorch/optim/megatron.py` },
  { name: 'Experiment', params: ['title', 'executor'], defaults: { executor: null }, source: 'NVIDIA/NeMo-Run nemo_run/run/experiment.py' },
];

const GPT_MODEL: ClassModel = { name: 'GPTModel', params: ['config', 'optim', 'tokenizer', 'model_transform'], defaults: {}, source: `${NEMO} nemo/collections/llm/gpt/model/base.py` };

/**
 * The models made so far, by name. Each is made when a file first names it: a file names a few of
 * the catalog's hundreds of classes, and making them all parsed every model config in the catalog
 * on the first analysis of a server. Only names that have a model are kept, so names typed one
 * letter at a time do not pile up.
 */
const made = new Map<string, ClassModel>();
let handwritten: Map<string, ClassModel> | undefined;

export function nemoClass(name: string): ClassModel | undefined {
  let model = made.get(name);
  if (model === undefined) {
    model = makeClass(name);
    if (model) made.set(name, model);
  }
  return model;
}

/**
 * Where a name's model comes from, first found first: GPTModel as written here; a model config of
 * the catalog; a class signature of the catalog; a model written here; the model class of a
 * catalogued recipe.
 */
function makeClass(name: string): ClassModel | undefined {
  if (name === 'GPTModel') return GPT_MODEL;
  const catalog = nemoCatalog();
  if (Object.hasOwn(catalog.modelConfigs, name)) {
    const cfg = catalog.modelConfigs[name]!;
    // Object.assign, not a literal of two spreads, which V8 builds key by key on its slow path.
    return { name, params: [], defaults: Object.assign({}, GPT_CONFIG_DEFAULTS, cfg.fields as Record<string, Literal>), source: citation(cfg.source) };
  }
  if (Object.hasOwn(catalog.classes, name)) {
    const sig = catalog.classes[name]!;
    const methods = name.endsWith('Executor') ? { clone: cloneExecutor } : undefined;
    return { name, params: sig.params, defaults: sig.defaults as Record<string, Literal>, source: citation(sig.source), ...(methods ? { methods } : {}) };
  }
  handwritten ??= new Map(HANDWRITTEN.map((m) => [m.name, m]));
  const model = handwritten.get(name);
  if (model) return model;
  // Model classes hold their config; `LlamaModel(config=...)` and `run.Config(LlamaModel, config=...)`.
  const recipeModel = Object.hasOwn(catalog.modelClasses, name) ? catalog.modelClasses[name]! : undefined;
  return recipeModel && { name, params: ['config', 'optim', 'tokenizer', 'model_transform'], defaults: {}, source: citation(recipeModel.source) };
}

/** NeMo model configs, and the Megatron-Bridge providers that carry a catalogued architecture. */
export function isModelConfigClass(name: string): boolean {
  return name === 'GPTConfig' || name === 'GPTModelProvider' || Object.hasOwn(nemoCatalog().modelConfigs, name) || Object.hasOwn(bridgeCatalog().providers, name);
}
