// moeBiasNeedsEtpOne: see docs/rules/ for what it checks and why.
import { etpOf, pos, type Layout } from '../layout';
import type { Rule } from '../rule';

export const moeBiasNeedsEtpOne: Rule = {
  code: 'RL212',
  name: 'moe-bias-needs-etp-one',
  severity: 'error',
  stage: 'init',
  summary: 'A mixture-of-experts model with linear biases needs expert_tensor_parallel_size 1.',
  docs: {
    what: 'For mixture-of-experts models with `add_bias_linear=True`, checks that the expert-tensor-parallel size (ETP, which defaults to TP) is 1.',
    why: '`TransformerConfig` asserts "Bias in Moe is only supported when ETP==1".',
    example: 'gpt-oss (biased experts) with tensor_model_parallel_size=2 and expert_tensor_parallel_size left to default to TP',
    fix: 'Set expert_tensor_parallel_size to 1.',
    references: 'megatron/core/transformer/transformer_config.py (MoE checks).',
  },
  check(l: Layout) {
    const etp = etpOf(l);
    if (!pos(l.experts) || l.addBias !== true || !pos(etp) || etp === 1) return undefined;
    return { message: `the experts have biases (add_bias_linear), which Megatron-Core supports only with ETP 1, but ETP is ${etp}${l.etp === null ? ' (it follows TP)' : ''}`, fields: ['etp', 'tp'], fixable: ['etp'] };
  },
};
