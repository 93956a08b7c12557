// attentionHeadsNotDivisible: see docs/rules/ for what it checks and why.
import { pos, type Layout } from '../layout';
import type { Rule } from '../rule';

export const attentionHeadsNotDivisible: Rule = {
  code: 'RL201',
  name: 'attention-heads-not-divisible-by-tp',
  severity: 'error',
  stage: 'init',
  summary: 'num_attention_heads is not a multiple of tensor_model_parallel_size.',
  docs: {
    what: 'Checks that the attention heads divide evenly among the tensor-parallel ranks.',
    why: 'Each tensor-parallel rank computes whole heads. Megatron-Core\'s `TransformerConfig` raises "num_attention_heads (a) must be a multiple of tensor_model_parallel_size (TP)" when NeMo copies the strategy\'s sizes onto the model config.',
    example: 'llm.GPTConfig(num_attention_heads=12, ...) with tensor_model_parallel_size=8',
    fix: 'Use a TP that divides the head count (the message lists those every rule accepts).',
    references: 'megatron/core/transformer/transformer_config.py `TransformerConfig.__post_init__`. All versions.',
  },
  check(l: Layout) {
    if (!pos(l.tp) || !pos(l.heads) || l.heads % l.tp === 0) return undefined;
    return { message: `${l.heads} attention heads are not divisible by TP = ${l.tp}`, fields: ['tp', 'heads'], fixable: ['tp'] };
  },
};
