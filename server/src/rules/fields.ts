// How layout keys map to plan fields, to the Python names users write, and to the attribute
// path below a recipe; used for messages, related information and fixes.
import type { Field, Plan } from '../plan/plan';
import type { LayoutKey } from './layout';
import { unknownField } from '../plan/fields';

/** Fields a fix may change: the layout's, and the executor's node count that follows the trainer's. */
export type ChangeKey = LayoutKey | 'executorNodes';

interface FieldInfo {
  /** Short name in messages: "TP", "num_nodes". */
  label: string;
  /** How a fix's title names it, when the Python name alone is ambiguous. */
  title?: string;
  /** The Python keyword / attribute. */
  python: string;
  /** Attribute path below a recipe returned by a factory (`run.Partial(llm.pretrain, ...)`). */
  path: string;
  read(plan: Plan): Field<unknown>;
}

const strategy = (label: string, python: string, read: (p: Plan) => Field<unknown>): FieldInfo => ({ label, python, path: `trainer.strategy.${python}`, read });
const config = (label: string, python: string, read: (p: Plan) => Field<unknown>): FieldInfo => ({ label, python, path: `model.config.${python}`, read });

export const FIELDS: Record<ChangeKey, FieldInfo> = {
  nodes: { label: 'num_nodes', python: 'num_nodes', path: 'trainer.num_nodes', read: (p) => p.world.nodes },
  executorNodes: { label: "the executor's nodes", python: 'nodes', path: '', read: (p) => p.executorWorld?.nodes ?? unknownField('no executor') },
  gpusPerNode: { label: 'devices', python: 'devices', path: 'trainer.devices', read: (p) => p.world.gpusPerNode },
  world: { label: 'the world size', python: 'world', path: '', read: (p) => p.world.size },
  tp: strategy('TP', 'tensor_model_parallel_size', (p) => p.parallelism.tp),
  pp: strategy('PP', 'pipeline_model_parallel_size', (p) => p.parallelism.pp),
  vp: strategy('VP', 'virtual_pipeline_model_parallel_size', (p) => p.parallelism.vp),
  cp: strategy('CP', 'context_parallel_size', (p) => p.parallelism.cp),
  ep: strategy('EP', 'expert_model_parallel_size', (p) => p.parallelism.ep),
  etp: strategy('ETP', 'expert_tensor_parallel_size', (p) => p.parallelism.etp),
  sp: strategy('sequence_parallel', 'sequence_parallel', (p) => p.parallelism.sequenceParallel),
  vpGroup: strategy('microbatch_group_size_per_vp_stage', 'microbatch_group_size_per_vp_stage', (p) => p.parallelism.microbatchGroupSizePerVpStage),
  firstStage: strategy('num_layers_in_first_pipeline_stage', 'num_layers_in_first_pipeline_stage', (p) => p.parallelism.numLayersInFirstPipelineStage),
  lastStage: strategy('num_layers_in_last_pipeline_stage', 'num_layers_in_last_pipeline_stage', (p) => p.parallelism.numLayersInLastPipelineStage),
  accountEmbedding: strategy('account_for_embedding_in_pipeline_split', 'account_for_embedding_in_pipeline_split', (p) => p.parallelism.accountForEmbeddingInPipelineSplit),
  accountLoss: strategy('account_for_loss_in_pipeline_split', 'account_for_loss_in_pipeline_split', (p) => p.parallelism.accountForLossInPipelineSplit),
  gbs: { label: 'global_batch_size', python: 'global_batch_size', path: 'data.global_batch_size', read: (p) => p.batch.global },
  mbs: { label: 'micro_batch_size', python: 'micro_batch_size', path: 'data.micro_batch_size', read: (p) => p.batch.micro },
  seq: { label: 'seq_length', title: "the data's seq_length", python: 'seq_length', path: 'data.seq_length', read: (p) => p.batch.seqLength },
  layers: config('num_layers', 'num_layers', (p) => p.model.numLayers),
  heads: config('num_attention_heads', 'num_attention_heads', (p) => p.model.numAttentionHeads),
  groups: config('num_query_groups', 'num_query_groups', (p) => p.model.numQueryGroups),
  ffn: config('ffn_hidden_size', 'ffn_hidden_size', (p) => p.model.ffnHiddenSize),
  experts: config('num_moe_experts', 'num_moe_experts', (p) => p.model.numMoeExperts),
  topk: config('moe_router_topk', 'moe_router_topk', (p) => p.model.moeRouterTopk),
  moeFfn: config('moe_ffn_hidden_size', 'moe_ffn_hidden_size', (p) => p.model.moeFfnHiddenSize),
  sharedFfn: config('moe_shared_expert_intermediate_size', 'moe_shared_expert_intermediate_size', (p) => p.model.moeSharedExpertIntermediateSize),
  addBias: config('add_bias_linear', 'add_bias_linear', (p) => p.model.addBiasLinear),
  preSoftmax: config('moe_router_pre_softmax', 'moe_router_pre_softmax', (p) => p.model.moeRouterPreSoftmax),
  scoreFunction: config('moe_router_score_function', 'moe_router_score_function', (p) => p.model.moeRouterScoreFunction),
  routerGroups: config('moe_router_num_groups', 'moe_router_num_groups', (p) => p.model.moeRouterNumGroups),
  routerGroupTopk: config('moe_router_group_topk', 'moe_router_group_topk', (p) => p.model.moeRouterGroupTopk),
  lbType: config('moe_router_load_balancing_type', 'moe_router_load_balancing_type', (p) => p.model.moeRouterLoadBalancingType),
  recomputeGranularity: config('recompute_granularity', 'recompute_granularity', (p) => p.recompute.granularity),
  recomputeMethod: config('recompute_method', 'recompute_method', (p) => p.recompute.method),
  recomputeNumLayers: config('recompute_num_layers', 'recompute_num_layers', (p) => p.recompute.numLayers),
  distributedOptimizer: { label: 'use_distributed_optimizer', python: 'use_distributed_optimizer', path: 'optim.config.use_distributed_optimizer', read: (p) => p.optimizer.distributed },
  modelSeq: { ...config("the model's seq_length", 'seq_length', (p) => p.model.seqLength), title: "the model's seq_length" },
};

/**
 * Where a field lives in a Megatron-Bridge ConfigContainer: parallel sizes and the architecture
 * on cfg.model, batch sizes on cfg.train, the sequence length on cfg.dataset, the distributed
 * optimizer on cfg.ddp (the dataset's field name depends on the Bridge version). Undefined for the world, which Bridge takes from its launcher.
 */
/** How messages and fix titles name a field: a Megatron-Bridge job's data is its `dataset`. */
export function titleOf(key: ChangeKey, plan: Plan): string {
  if (key === 'seq' && plan.framework === 'megatron-bridge') return `the dataset's ${plan.bridge?.datasetSeqField ?? 'seq_length'}`;
  return FIELDS[key].title ?? FIELDS[key].python;
}

export function bridgePath(key: ChangeKey, plan: Plan): string | undefined {
  const info = FIELDS[key];
  if (info.path.startsWith('trainer.strategy.')) return `model.${info.path.slice('trainer.strategy.'.length)}`;
  if (info.path.startsWith('model.config.')) return `model.${info.path.slice('model.config.'.length)}`;
  if (key === 'gbs' || key === 'mbs') return `train.${info.python}`;
  if (key === 'seq') return `dataset.${plan.bridge?.datasetSeqField ?? 'seq_length'}`;
  if (key === 'distributedOptimizer') return 'ddp.use_distributed_optimizer';
  return undefined;
}
