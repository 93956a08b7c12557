// The memory model's fitted constants: the few numbers that are not counted from shapes and dtypes
// but measured. Each was fitted on ../shared/calibration (Megatron-Core 0.20 on H100 80GB, see
// docs/memory.md for the table the fit produced) and is checked by test/memory/calibration.test.ts.

const MiB = 2 ** 20;
const GiB = 2 ** 30;

/**
 * Bytes per logit on the last pipeline stage, for one micro-batch: the bf16 logits and the fp32
 * copy the vocabulary-parallel cross entropy works on overlap briefly (2 + 4 bytes), and the
 * bf16 logits are gone by the time the softmax is kept. The fit over the single-stage runs gives 5.
 */
export const LOGIT_BYTES = 5;

/**
 * Allocations that exist at every peak whatever the model: the cuBLAS workspace and the small
 * buffers of the optimizer and loss. Measured as allocated memory after the first step minus
 * weights, gradients and optimizer state, 66 to 70 MiB on every single-GPU run.
 */
export const RUNTIME_BUFFERS_BYTES = 66 * MiB;

/**
 * Unfused attention keeps one [b, heads/TP, s, s] score tensor per layer for the backward pass,
 * plus about this many more as the persistent score buffer and the softmax gradient in flight.
 */
export const UNFUSED_SCORE_TRANSIENTS = 3;

/**
 * Memory a process holds outside PyTorch's allocator before NCCL: the CUDA context with its
 * lazily loaded kernels, cuBLAS handles and workspaces. nvidia-smi minus reserved memory was
 * 2.89 to 2.91 GiB on every single-GPU dense run.
 */
export const CUDA_CONTEXT_BYTES = 2.9 * GiB;

/**
 * What one NCCL communicator in use costs, outside PyTorch: each of TP, DP, the distributed
 * optimizer's second collective and the pipeline's send/receive pairs added 0.38 to 0.50 GiB.
 */
export const NCCL_COMMUNICATOR_BYTES = 0.47 * GiB;

/** Kernels and buffers that mixture-of-experts layers load even on one GPU (3.67 against 2.91 GiB). */
export const MOE_RUNTIME_BYTES = 0.76 * GiB;

/**
 * PyTorch's caching allocator holds freed blocks it cannot reuse: reserved minus allocated was
 * 3 % to 34 % of the activations (median 15 %) on the runs without full recompute.
 */
export const ALLOCATOR_CACHE_FRACTION = 0.15;

/** The band of the estimate where every input is known and the calibration covers the setup. */
export const BASE_BAND = 0.05;

/** Added to the band for each part of the setup the calibration runs do not cover. */
export const UNCALIBRATED_BAND = 0.05;
