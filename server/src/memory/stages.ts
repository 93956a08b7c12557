// The pipeline: which decoder layers each pipeline rank builds (even split, uneven first/last
// stage, or accounting for the embedding and loss; with virtual stages a rank holds every PP-th
// chunk), and how many micro-batches of activations each rank keeps in flight under the 1F1B and
// interleaved schedules (Megatron-Core `get_pp_rank_microbatches`: rank r runs p - r - 1 warm-up
// forwards, or 2(p - r - 1) + (v - 1)N chunk forwards when interleaved, and holds one more).
import type { Layout } from './setup';

/** `n` split into `parts` as evenly as can be, the larger parts first. A loop: Array.from showed in profiles. */
function even(n: number, parts: number): number[] {
  const out: number[] = [];
  const base = Math.floor(n / parts);
  const extra = n % parts;
  for (let i = 0; i < parts; i++) out.push(base + (i < extra ? 1 : 0));
  return out;
}

/** Number of layers of each of the PP x VP model chunks, in chunk order (chunk c runs on rank c mod PP). */
function chunkSizes(layers: number, l: Layout): number[] {
  const p = l.pp;
  const v = l.vp ?? 1;
  const chunks = p * v;
  if (p > 1 && (l.firstStageLayers !== null || l.lastStageLayers !== null)) {
    // Uneven split: the first and last ranks' layers are spread over their virtual chunks.
    const first = l.firstStageLayers;
    const last = l.lastStageLayers;
    const middleRanks = p - (first !== null ? 1 : 0) - (last !== null ? 1 : 0);
    const middle = even(Math.max(0, layers - (first ?? 0) - (last ?? 0)), Math.max(1, middleRanks));
    const perRank: number[] = [];
    let m = 0;
    for (let r = 0; r < p; r++) {
      if (r === 0 && first !== null) perRank.push(first);
      else if (r === p - 1 && last !== null) perRank.push(last);
      else perRank.push(middle[m++] ?? 0);
    }
    return Array.from({ length: chunks }, (_, c) => even(perRank[c % p]!, v)[Math.floor(c / p)]!);
  }
  if (l.accountEmbedding || l.accountLoss) {
    // The embedding and the loss each count as one layer of the first and last chunk.
    const slots = even(layers + (l.accountEmbedding ? 1 : 0) + (l.accountLoss ? 1 : 0), chunks);
    if (l.accountEmbedding) slots[0]! -= 1;
    if (l.accountLoss) slots[chunks - 1]! -= 1;
    return slots;
  }
  return even(layers, chunks);
}

export interface Stage {
  rank: number;
  /** How many decoder layers this rank builds, over all its virtual chunks, and how many of them are MoE layers. */
  layerCount: number;
  moeLayerCount: number;
  holdsEmbedding: boolean;
  /** The output layer and the loss. */
  holdsOutput: boolean;
  /** Layers of this rank's activations held at the peak, in units of one micro-batch through one layer. */
  layersInFlight: number;
  /** Micro-batches (chunk micro-batches with the interleaved schedule) in flight, for the checkpoint count. */
  chunksInFlight: number;
}

/**
 * The stages of a pipeline. `moe` says which layers are MoE layers. Searches ask for the same
 * pipelines many times, so each distinct one is computed once per model (see modelStages).
 */
export function pipelineStages(layers: number, l: Layout, microbatches: number | null, moe: readonly boolean[] = NO_MOE): Stage[] {
  // Estimates of one plan's layouts come in a row and mostly share a pipeline (TP, CP and the
  // micro batch do not change it): the last one is compared field by field before a key is built.
  const p = lastPipeline;
  if (
    p &&
    p.moe === moe &&
    p.layers === layers &&
    p.microbatches === microbatches &&
    p.pp === l.pp &&
    p.vp === l.vp &&
    p.vpGroup === l.vpGroup &&
    p.firstStageLayers === l.firstStageLayers &&
    p.lastStageLayers === l.lastStageLayers &&
    p.accountEmbedding === l.accountEmbedding &&
    p.accountLoss === l.accountLoss
  ) {
    return p.stages;
  }
  const key = `${layers} ${l.pp} ${l.vp} ${l.vpGroup} ${l.firstStageLayers} ${l.lastStageLayers} ${l.accountEmbedding} ${l.accountLoss} ${microbatches}`;
  if (modelStages?.moe !== moe) modelStages = { moe, byKey: new Map() };
  const byKey = modelStages.byKey;
  let stages = byKey.get(key);
  if (!stages) {
    if (byKey.size > 10_000) byKey.clear();
    byKey.set(key, (stages = computeStages(layers, l, microbatches, moe)));
  }
  const { pp, vp, vpGroup, firstStageLayers, lastStageLayers, accountEmbedding, accountLoss } = l;
  lastPipeline = { moe, layers, microbatches, pp, vp, vpGroup, firstStageLayers, lastStageLayers, accountEmbedding, accountLoss, stages };
  return stages;
}

/**
 * The pipelines of the last model asked for (`moe` is its array): one plan's estimates, and a
 * search over its layouts, come in a row. One model's at a time, so the cache goes with the
 * analysis that made it (a WeakMap entry per model cost more, in profiles, than it saved).
 */
let modelStages: { moe: readonly boolean[]; byKey: Map<string, Stage[]> } | undefined;

const NO_MOE: readonly boolean[] = [];

/** The last pipeline asked for (see pipelineStages). */
let lastPipeline:
  | (Pick<Layout, 'pp' | 'vp' | 'vpGroup' | 'firstStageLayers' | 'lastStageLayers' | 'accountEmbedding' | 'accountLoss'> & {
      moe: readonly boolean[];
      layers: number;
      microbatches: number | null;
      stages: Stage[];
    })
  | undefined;

function computeStages(layers: number, l: Layout, microbatches: number | null, moe: readonly boolean[]): Stage[] {
  const p = l.pp;
  const v = l.vp ?? 1;
  const sizes = chunkSizes(layers, l);
  const starts: number[] = [];
  sizes.reduce((start, n) => (starts.push(start), start + n), 0);
  const stages: Stage[] = [];
  for (let r = 0; r < p; r++) {
    let count = 0;
    let moeCount = 0;
    for (let c = r; c < p * v; c += p) {
      for (let i = 0; i < sizes[c]!; i++) if (moe[starts[c]! + i]) moeCount++;
      count += sizes[c]!;
    }
    // Unknown micro-batch counts take the worst case: the warm-up is never cut short.
    const m = microbatches ?? Number.POSITIVE_INFINITY;
    let chunksInFlight: number;
    if (v > 1) {
      const group = l.vpGroup ?? p;
      chunksInFlight = Math.min(2 * (p - r - 1) + (v - 1) * group + 1, m * v);
    } else {
      chunksInFlight = Math.min(p - r, m);
    }
    stages.push({
      rank: r,
      layerCount: count,
      moeLayerCount: moeCount,
      holdsEmbedding: r === 0,
      holdsOutput: r === p - 1,
      layersInFlight: (chunksInFlight * count) / v,
      chunksInFlight,
    });
  }
  return stages;
}
