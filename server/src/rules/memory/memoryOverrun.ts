// memoryOverrun: see docs/rules/ for what it checks and why.
import { largestTerm } from '../../memory/estimate';
import { gib, MEMORY_FIELDS, stageText, type MemoryRule } from './memoryRule';

export const memoryOverrun: MemoryRule = {
  code: 'RL401',
  name: 'memory-overrun',
  severity: 'error',
  stage: 'runtime',
  summary: 'The estimated peak memory of the most loaded GPU exceeds what the GPU has.',
  docs: {
    what: "Estimates the memory each pipeline rank needs at the peak of a step (weights, gradients, optimizer state, activations and the runtime's overhead, see docs/memory.md) and reports when the most loaded rank needs more than the GPU's usable memory. Where the setup has parts the calibration did not measure (FP8, context parallelism, LoRA, multi-latent attention...), the estimate must exceed the memory by more than the band those parts add; below that, memory-near-limit warns instead. The GPU is the H100 80GB unless the `recipeLens.gpu` setting or a `# recipe-lens: gpu=...` comment says otherwise.",
    why: 'The job waits in the queue, starts, and stops with "CUDA out of memory" in the first steps: hours of queue time for nothing.',
    example: 'llama3_70b.finetune_recipe(peft_scheme=None) on one node of eight H100s',
    fix: 'Enable the distributed optimizer, enable full activation recompute, raise TP or PP (keeping the world size), or lower the micro batch; the quick fixes offer each change that the estimate says fits.',
    references: 'docs/memory.md (the model and its calibration on Megatron-Core 0.20 runs on H100 80GB).',
  },
  check({ estimate: e }) {
    // Parts of the setup the calibration does not cover must not be what makes it overrun.
    if (e.provenPeakBytes <= e.capacityBytes) return undefined;
    const b = e.breakdown;
    const largest = largestTerm(b);
    return {
      message: `estimated peak ${gib(e.peakBytes)} GiB per GPU${stageText(e)} (±${Math.round(e.bandFraction * 100)}%) exceeds the ${gib(e.capacityBytes)} GiB of the ${e.gpu.name}; the largest term is ${largest}, ${gib(b[largest])} GiB (weights ${gib(b.weights)}, gradients ${gib(b.gradients)}, optimizer ${gib(b.optimizer)}, activations ${gib(b.activations)}, overhead ${gib(b.overhead)})`,
      fields: MEMORY_FIELDS,
      limitBytes: e.capacityBytes,
    };
  },
};
