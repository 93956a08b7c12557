// ffnHiddenSizeNotDivisible: see docs/rules/ for what it checks and why.
import { pos, type Layout } from '../layout';
import type { Rule } from '../rule';

export const ffnHiddenSizeNotDivisible: Rule = {
  code: 'RL203',
  name: 'ffn-hidden-size-not-divisible-by-tp',
  severity: 'error',
  stage: 'build',
  summary: 'ffn_hidden_size is not a multiple of tensor_model_parallel_size.',
  docs: {
    what: 'Checks that the feed-forward width of the dense layers splits evenly over the tensor-parallel ranks.',
    why: 'The MLP\'s column- and row-parallel linear layers shard `ffn_hidden_size` across TP ranks; Megatron-Core\'s `divide` asserts "X is not divisible by Y" while building the model, after the job has started.',
    example: 'ffn_hidden_size 28672 with tensor_model_parallel_size=3',
    fix: 'Use a TP that divides the FFN size.',
    references: 'megatron/core/utils.py `divide`, used by megatron/core/tensor_parallel/layers.py and the Transformer Engine extensions.',
  },
  check(l: Layout) {
    if (!pos(l.tp) || !pos(l.ffn) || !l.hasDenseLayers || l.ffn % l.tp === 0) return undefined;
    return { message: `ffn_hidden_size ${l.ffn} is not divisible by TP = ${l.tp}`, fields: ['tp', 'ffn'], fixable: ['tp'] };
  },
};
