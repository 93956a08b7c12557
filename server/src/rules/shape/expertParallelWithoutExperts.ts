// expertParallelWithoutExperts: see docs/rules/ for what it checks and why.
import { pos, type Layout } from '../layout';
import type { Rule } from '../rule';

export const expertParallelWithoutExperts: Rule = {
  code: 'RL207',
  name: 'expert-parallel-without-experts',
  severity: 'error',
  stage: 'init',
  summary: 'expert_model_parallel_size is above 1 for a model without experts.',
  docs: {
    what: 'Checks that expert parallelism is only used with a mixture-of-experts model.',
    why: '`TransformerConfig` raises "num_moe_experts must be non None to use expert-parallel"; NeMo\'s `llm.pretrain` and `llm.finetune` assert the same first.',
    example: 'recipe.trainer.strategy.expert_model_parallel_size = 2  # a dense Llama model',
    fix: 'Set expert_model_parallel_size to 1.',
    references: 'megatron/core/transformer/transformer_config.py; NeMo `nemo/collections/llm/api.py::_validate_config`.',
  },
  check(l: Layout) {
    if (!pos(l.ep) || l.ep === 1 || l.experts !== null) return undefined;
    return { message: `EP = ${l.ep} needs a mixture-of-experts model, but this model has no experts`, fields: ['ep'], fixable: ['ep'] };
  },
};
