// unknownGpu: reported by analysis/gpuChoice.ts when a directive names a GPU the catalog lacks.
import type { RuleDoc } from '../rule';

export const unknownGpu: RuleDoc = {
  code: 'RL404',
  name: 'unknown-gpu',
  severity: 'warning',
  stage: 'silent',
  summary: 'A `# recipe-lens: gpu=...` comment names a GPU the catalog does not have.',
  docs: {
    what: 'Checks the GPU named by a `# recipe-lens: gpu=...` comment against the GPU catalog (ids such as `h100-80gb`, `h200-141gb`, `b200`, `gb200`, `a100-80gb`, `l40s`, and common spellings such as `H200` or `A100-SXM4-80GB`).',
    why: 'The memory estimate would otherwise be compared with the wrong GPU without saying so.',
    example: '# recipe-lens: gpu=h300',
    fix: 'Name a GPU of the catalog; the quick fix offers the nearest name.',
    references: 'server/catalog/gpus.json; docs/memory.md.',
  },
};
