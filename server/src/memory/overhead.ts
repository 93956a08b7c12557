// The overhead line: memory a training process holds beyond its tensors, shown on its own. Outside
// PyTorch: the CUDA context and one NCCL communicator per kind of collective the layout uses.
// Inside PyTorch: blocks the caching allocator keeps but cannot reuse, a share of the activations.
import {
  ALLOCATOR_CACHE_FRACTION,
  CUDA_CONTEXT_BYTES,
  MOE_RUNTIME_BYTES,
  NCCL_COMMUNICATOR_BYTES,
} from './constants';
import type { TrainingSetup } from './setup';

/** NCCL communicators a rank of this layout uses in training. */
export function communicators(s: TrainingSetup): number {
  const l = s.layout;
  let n = 0;
  if (l.tp > 1) n += 1;
  if (l.cp > 1) n += 1;
  // Gradient all-reduce; the distributed optimizer reduce-scatters and all-gathers instead.
  if (l.dp * l.cp > 1) n += s.optimizer.distributed ? 2 : 1;
  if (l.pp > 1) {
    // Send/receive with the next and the previous stage; the interleaved schedule adds a third;
    // tied embeddings are all-reduced between the first and the last stage.
    n += 2 + (l.vp !== null && l.vp > 1 ? 1 : 0) + (s.model.tiedEmbeddings ? 1 : 0);
  }
  // Token dispatch (all-to-all), combine, and the expert data-parallel and expert-TP groups.
  if (l.ep > 1) n += 4;
  return n;
}

export function overheadBytes(s: TrainingSetup, activations: number): number {
  const moe = s.model.moe && s.model.moe.experts ? MOE_RUNTIME_BYTES : 0;
  return CUDA_CONTEXT_BYTES + communicators(s) * NCCL_COMMUNICATOR_BYTES + moe + ALLOCATOR_CACHE_FRACTION * activations;
}
