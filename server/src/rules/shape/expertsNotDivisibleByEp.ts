// expertsNotDivisibleByEp: see docs/rules/ for what it checks and why.
import { nemoValidated, pos, type Layout } from '../layout';
import type { Rule } from '../rule';

export const expertsNotDivisibleByEp: Rule = {
  code: 'RL208',
  name: 'experts-not-divisible-by-ep',
  severity: 'error',
  stage: 'build',
  summary: 'num_moe_experts is not a multiple of expert_model_parallel_size.',
  docs: {
    what: 'Checks that the experts divide evenly over the expert-parallel ranks.',
    why: 'Each expert-parallel rank holds the same number of whole experts. NeMo\'s `llm.pretrain` and `llm.finetune` assert "Number of experts should be a multiple of expert model parallel_size" before training; elsewhere Megatron-Core\'s MoE layer asserts while building the model.',
    example: '8 experts (Mixtral) with expert_model_parallel_size=3',
    fix: 'Use an EP that divides the experts.',
    references: 'megatron/core/transformer/moe/moe_layer.py `BaseMoELayer.__init__`; NeMo `_validate_config`.',
  },
  check(l: Layout) {
    if (!pos(l.experts) || !pos(l.ep) || l.experts % l.ep === 0) return undefined;
    return { message: `${l.experts} experts are not divisible by EP = ${l.ep}${nemoValidated(l) ? '' : ' (the MoE layers fail when the model is built)'}`, fields: ['ep', 'experts'], fixable: ['ep'] };
  },
};
