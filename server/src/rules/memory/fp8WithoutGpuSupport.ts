// fp8WithoutGpuSupport: see docs/rules/ for what it checks and why.
import { gpuCatalog } from '../../memory/gpus';
import type { MemoryRule } from './memoryRule';

export const fp8WithoutGpuSupport: MemoryRule = {
  code: 'RL403',
  name: 'fp8-without-gpu-support',
  severity: 'error',
  stage: 'runtime',
  summary: 'FP8 training is configured for a GPU without FP8 tensor cores.',
  docs: {
    what: 'Reports a precision plugin with `fp8` set when the GPU (the `recipeLens.gpu` setting or a `# recipe-lens: gpu=...` comment) has no FP8 tensor cores, as on the A100.',
    why: 'Transformer Engine checks the device before the first FP8 layer runs and stops: FP8 needs compute capability 8.9 (Ada) or newer.',
    example: '`recipe.trainer.plugins = bf16_with_fp8_mixed()` with `# recipe-lens: gpu=a100-80gb`',
    fix: 'Use a bf16 precision plugin on this GPU, or run on a GPU with FP8.',
    references: 'Transformer Engine `check_fp8_support`; server/catalog/gpus.json (FP8 support of each GPU).',
  },
  check({ setup, plan }) {
    if (!setup.fp8 || setup.gpu.fp8) return undefined;
    const withFp8 = gpuCatalog().filter((g) => g.fp8).map((g) => g.id);
    return {
      message: `FP8 (fp8="${plan.fp8.format.value}") needs FP8 tensor cores, which the ${setup.gpu.name} does not have: Transformer Engine stops before the first FP8 layer; GPUs with FP8: ${withFp8.join(', ')}`,
      fields: [],
    };
  },
};
