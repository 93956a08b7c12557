// dataSequenceLongerThanModel: see docs/rules/ for what it checks and why.
import { pos, type Layout } from '../layout';
import type { Rule } from '../rule';

export const dataSequenceLongerThanModel: Rule = {
  code: 'RL303',
  name: 'data-sequence-longer-than-model',
  severity: 'warning',
  stage: 'silent',
  summary: "The data module's sequence length is longer than the model config's seq_length.",
  docs: {
    what: 'Compares the data module\'s `seq_length` with the model config\'s `seq_length` (NeMo 2 jobs; RL304 covers Megatron-Bridge).',
    why: 'The model config\'s sequence length sizes the positional embeddings and RoPE scaling. A longer data sequence runs past what the model was configured for: with learned absolute positions the position ids run past the embedding table and the first step fails (reported as an error); RoPE models extrapolate (a warning). Recipes set both; overriding only `recipe.data.seq_length` is a common slip.',
    example: 'recipe.data.seq_length = 16384  # recipe.model.config.seq_length stays 8192',
    fix: 'Set `recipe.model.config.seq_length` to the same value (`recipe.model.config.seq_length = recipe.data.seq_length = 16384`).',
    references: 'NeMo recipes set both fields together; Megatron-Bridge\'s `ConfigContainer.validate` refuses the mismatch ("Please ensure sequence length configuration in model config and dataset config match").',
  },
  check(l: Layout) {
    // Megatron-Bridge refuses any mismatch (RL304).
    if (l.entry === 'bridge' || !pos(l.seq) || !pos(l.modelSeq) || l.seq <= l.modelSeq) return undefined;
    // Learned absolute positions have one embedding row per position up to seq_length.
    const learned = l.positionEmbedding === 'learned_absolute';
    return {
      message: `the data's sequence length ${l.seq} is longer than the model config's seq_length ${l.modelSeq}${learned ? ': its learned position embeddings have only that many positions, so the first step fails' : ''}`,
      fields: ['seq', 'modelSeq'],
      fixable: ['modelSeq', 'seq'],
      ...(learned ? { severity: 'error' as const } : {}),
    };
  },
};
