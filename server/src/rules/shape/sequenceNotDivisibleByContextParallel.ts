// sequenceNotDivisibleByContextParallel: see docs/rules/ for what it checks and why.
import { modelSeqValidated, pos, type Layout } from '../layout';
import type { Rule } from '../rule';

export const sequenceNotDivisibleByContextParallel: Rule = {
  code: 'RL213',
  name: 'sequence-not-divisible-by-context-parallel',
  severity: 'error',
  stage: 'runtime',
  summary: 'With context parallelism, the sequence length is not a multiple of 2 x CP.',
  docs: {
    what: 'When `context_parallel_size` is above 1, checks that the sequence length is a multiple of 2 x CP.',
    why: 'Context parallelism cuts every sequence into 2 x CP chunks for load balancing. NeMo\'s `llm.pretrain` and `llm.finetune` assert "Sequence length must be divisible by 2 * context parallel size" on the model\'s sequence length; otherwise the first batch fails in `get_batch_on_this_cp_rank`.',
    example: 'seq_length 16385 with context_parallel_size=2',
    fix: 'Use a sequence length that is a multiple of 2 x CP, or another CP.',
    references: 'megatron/core/utils.py `get_batch_on_this_cp_rank`; NeMo `_validate_config`; Megatron-LM `validate_args`.',
  },
  check(l: Layout) {
    if (!pos(l.cp) || l.cp === 1) return undefined;
    const q = 2 * l.cp;
    if (pos(l.seq) && l.seq % q !== 0) return { message: `the data's sequence length ${l.seq} is not divisible by 2 x CP = ${q}`, fields: ['seq', 'cp'], fixable: ['seq', 'cp'] };
    if (modelSeqValidated(l) && pos(l.modelSeq) && l.modelSeq % q !== 0) return { message: `the model's seq_length ${l.modelSeq} is not divisible by 2 x CP = ${q}`, fields: ['modelSeq', 'cp'], fixable: ['cp'] };
    return undefined;
  },
};
