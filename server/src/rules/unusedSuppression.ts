// unusedSuppression: reported by analysis/suppressions.ts, not by a layout check.
import type { RuleDoc } from './rule';

export const unusedSuppression: RuleDoc = {
  code: 'RL901',
  name: 'unused-suppression',
  severity: 'warning',
  stage: 'silent',
  summary: 'A suppression comment names a Recipe Lens code that does not fire on its line.',
  docs: {
    what: 'Reports `# noqa: RL###` and `# recipe-lens: ignore[RL###]` comments whose codes suppress nothing on their line. Codes of other tools in a `# noqa` comment, and comments without codes, are left alone.',
    why: 'A stale suppression hides the next real problem on that line, and misleads readers about what is wrong with it.',
    example: 'recipe.trainer.strategy.tensor_model_parallel_size = 4  # noqa: RL201',
    fix: 'Remove the code from the comment, or the comment. The quick fix does that, and leaves a note written after the code on the line as a comment.',
    references: "ruff's unused-noqa (RUF100); pyright's reportUnnecessaryTypeIgnoreComment.",
  },
};
