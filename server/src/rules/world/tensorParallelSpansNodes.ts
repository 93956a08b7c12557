// tensorParallelSpansNodes: see docs/rules/ for what it checks and why.
import { pos, worldOf, type Layout } from '../layout';
import type { Rule, RuleSettings } from '../rule';

export const tensorParallelSpansNodes: Rule = {
  code: 'RL106',
  name: 'tensor-parallel-spans-nodes',
  severity: 'warning',
  stage: 'silent',
  summary: 'TP is larger than the GPUs of one node, so tensor-parallel traffic crosses the network.',
  docs: {
    what: 'Warns when `tensor_model_parallel_size` is larger than the GPUs of one node (the trainer\'s `devices`, or the configured cluster\'s GPUs per node).',
    why: 'Tensor parallelism exchanges activations in every layer, forward and backward; it is designed for the NVLink domain of one node. Across nodes it runs over the much slower network and the job slows down many times over. It still starts.',
    example: 'recipe.trainer.strategy.tensor_model_parallel_size = 16  # 8 GPUs per node',
    fix: 'Keep TP within one node and use pipeline or context parallelism across nodes.',
    references: 'Megatron-LM and NeMo performance guides; NVIDIA\'s published layouts never use TP above the NVLink domain.',
  },
  check(l: Layout, s: RuleSettings) {
    // The ranks of one node: the trainer's devices, or fewer if the cluster's nodes are smaller.
    const node = pos(l.gpusPerNode) && s.clusterGpusPerNode ? Math.min(l.gpusPerNode, s.clusterGpusPerNode) : (l.gpusPerNode ?? s.clusterGpusPerNode);
    const w = worldOf(l);
    if (!pos(l.tp) || !pos(node) || w === undefined || l.tp <= node || w < l.tp) return undefined;
    return { message: `TP = ${l.tp} is larger than the ${node} GPUs of one node: tensor-parallel traffic would cross nodes`, fields: ['tp', 'gpusPerNode'], fixable: ['tp'] };
  },
};
