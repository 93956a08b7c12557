// sequenceLengthMismatch: see docs/rules/ for what it checks and why.
import { pos, type Layout } from '../layout';
import type { Rule } from '../rule';

export const sequenceLengthMismatch: Rule = {
  code: 'RL304',
  name: 'sequence-length-mismatch',
  severity: 'error',
  stage: 'init',
  summary: "A Megatron-Bridge job's dataset and model sequence lengths differ.",
  docs: {
    what: "For Megatron-Bridge jobs, checks that `cfg.dataset.seq_length` (`sequence_length` for the GPT datasets of Bridge 0.1 to 0.3) equals `cfg.model.seq_length`.",
    why: "Bridge's `ConfigContainer.validate()` runs before the model is built and refuses a job whose dataset and model disagree on the sequence length. Recipes set both; overriding only one of them after the recipe call is the usual slip, and it is found only when the job starts.",
    example: 'cfg = llama3_8b_pretrain_config()\ncfg.dataset.seq_length = 4096  # cfg.model.seq_length stays 8192',
    fix: 'Set both to the same value: `cfg.model.seq_length = cfg.dataset.seq_length = 4096`.',
    references: 'Megatron-Bridge `src/megatron/bridge/training/config.py` `ConfigContainer.validate` (GPT, finetuning and VLM dataset configs). All versions. NeMo 2 jobs are covered by RL303 instead.',
  },
  check(l: Layout) {
    if (l.entry !== 'bridge' || !pos(l.seq) || !pos(l.modelSeq) || l.seq === l.modelSeq) return undefined;
    return {
      message: `the dataset's sequence length ${l.seq} differs from the model's seq_length ${l.modelSeq}: Megatron-Bridge's ConfigContainer.validate refuses the job`,
      fields: ['seq', 'modelSeq'],
      fixable: ['modelSeq', 'seq'],
    };
  },
};
