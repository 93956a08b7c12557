// expertFfnNotDivisible: see docs/rules/ for what it checks and why.
import { etpOf, pos, type Layout } from '../layout';
import type { Rule } from '../rule';

export const expertFfnNotDivisible: Rule = {
  code: 'RL204',
  name: 'expert-ffn-not-divisible',
  severity: 'error',
  stage: 'build',
  summary: 'moe_ffn_hidden_size is not a multiple of ETP, or the shared-expert size not a multiple of TP.',
  docs: {
    what: 'For mixture-of-experts models, checks that each expert\'s FFN width splits over the expert-tensor-parallel ranks (ETP, which defaults to TP), and that the shared expert\'s width splits over TP.',
    why: 'Expert weights are sharded over ETP ranks and shared experts over TP ranks; Megatron-Core asserts "X is not divisible by Y" while building the MoE layers.',
    example: 'moe_ffn_hidden_size 1536 with expert_tensor_parallel_size=5',
    fix: 'Use an ETP (or TP) that divides the expert FFN size.',
    references: 'megatron/core/transformer/moe/experts.py and shared_experts.py, through megatron/core/utils.py `divide`.',
  },
  check(l: Layout) {
    if (!pos(l.experts)) return undefined;
    const etp = etpOf(l);
    if (pos(etp) && pos(l.moeFfn) && l.moeFfn % etp !== 0) {
      return { message: `moe_ffn_hidden_size ${l.moeFfn} is not divisible by ETP = ${etp}`, fields: ['etp', 'tp', 'moeFfn'], fixable: l.etp === null ? ['tp', 'etp'] : ['etp'] };
    }
    if (pos(l.tp) && pos(l.sharedFfn) && l.sharedFfn % l.tp !== 0) {
      return { message: `the shared expert size ${l.sharedFfn} is not divisible by TP = ${l.tp}`, fields: ['tp', 'sharedFfn'], fixable: ['tp'] };
    }
    return undefined;
  },
};
