// sequenceParallelSequenceNotDivisible: see docs/rules/ for what it checks and why.
import { pos, type Layout } from '../layout';
import type { Rule } from '../rule';

export const sequenceParallelSequenceNotDivisible: Rule = {
  code: 'RL214',
  name: 'sequence-parallel-sequence-not-divisible',
  severity: 'error',
  stage: 'runtime',
  summary: 'With sequence parallelism, the sequence per context-parallel rank is not a multiple of TP.',
  docs: {
    what: 'With `sequence_parallel=True` and TP above 1, checks that the sequence length divided by CP is a multiple of TP.',
    why: 'Sequence parallelism scatters the sequence dimension over the TP ranks after the embedding. If it does not divide, the first forward pass fails with "First dimension of the tensor should be divisible by tensor parallel size".',
    example: 'seq_length 2052 with TP 16 and sequence_parallel=True',
    fix: 'Use a sequence length that is a multiple of CP x TP, or another TP.',
    references: 'megatron/core/tensor_parallel/mappings.py `_split_along_first_dim`.',
  },
  check(l: Layout) {
    if (l.sp !== true || !pos(l.tp) || l.tp === 1 || !pos(l.cp) || !pos(l.seq) || l.seq % l.cp !== 0) return undefined;
    const perRank = l.seq / l.cp;
    if (perRank % l.tp === 0) return undefined;
    return { message: `with sequence parallelism the sequence ${l.cp > 1 ? `per CP rank (${l.seq} / CP ${l.cp} = ${perRank})` : `length ${l.seq}`} is not divisible by TP = ${l.tp}`, fields: ['seq', 'tp', 'cp'], fixable: ['seq', 'tp'] };
  },
};
