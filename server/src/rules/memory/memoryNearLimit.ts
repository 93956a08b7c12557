// memoryNearLimit: see docs/rules/ for what it checks and why.
import { largestTerm } from '../../memory/estimate';
import { gib, MEMORY_FIELDS, stageText, type MemoryRule } from './memoryRule';

/** Above this share of the GPU's memory a job is one allocator spike away from running out. */
export const NEAR_LIMIT = 0.9;

export const memoryNearLimit: MemoryRule = {
  code: 'RL402',
  name: 'memory-near-limit',
  severity: 'warning',
  stage: 'runtime',
  summary: 'The estimated peak memory of the most loaded GPU is above 90% of what the GPU has, or over it by less than the estimate can tell.',
  docs: {
    what: "Reports when the estimated peak of the most loaded rank takes more than 90% of the GPU's usable memory, and when it exceeds it only within the band of parts of the setup the calibration did not measure (so memory-overrun cannot say it for certain).",
    why: 'The estimate has a band (±5% where it is calibrated, more elsewhere), and allocator fragmentation varies from run to run: a job this close to the limit may run out of memory on some steps, some ranks or some clusters.',
    example: 'llama3_8b.pretrain_recipe() with micro_batch_size=2 on eight H100s',
    fix: 'The same changes as for memory-overrun, to bring the estimate below 90%; or set `PYTORCH_CUDA_ALLOC_CONF=expandable_segments:True` and accept the risk.',
    references: 'docs/memory.md (the model, its band and its calibration).',
  },
  check({ estimate: e }) {
    const share = e.peakBytes / e.capacityBytes;
    if (share <= NEAR_LIMIT || e.provenPeakBytes > e.capacityBytes) return undefined;
    const largest = largestTerm(e.breakdown);
    const uncertain = share > 1 ? `, more than it has, but ${e.bandReasons.join(' and ')}, so it may fit` : '';
    return {
      message: `estimated peak ${gib(e.peakBytes)} GiB per GPU${stageText(e)} (±${Math.round(e.bandFraction * 100)}%) is ${Math.round(share * 100)}% of the ${gib(e.capacityBytes)} GiB of the ${e.gpu.name}${uncertain}; the largest term is ${largest}, ${gib(e.breakdown[largest])} GiB`,
      fields: MEMORY_FIELDS,
      limitBytes: NEAR_LIMIT * e.capacityBytes,
    };
  },
};
