// How estimates are written for people (messages, hovers, hints, the CLI) and as JSON (the CLI's
// contract in docs/cli.md), in one place so every surface shows the same numbers.
import { BREAKDOWN_TERMS, type Breakdown, type MemoryEstimate } from './estimate';
import type { PlanMemory } from './fromPlan';

const GiB = 2 ** 30;

export function gib(bytes: number): string {
  const v = bytes / GiB;
  // toFixed writes 1e21 and above in exponent form; absurd inputs (a sequence of 2**40) get digits.
  if (!Number.isFinite(v)) return String(v);
  return v < 1e21 ? v.toFixed(1) : BigInt(Math.round(v)).toString();
}

/** "61.3/79.6 GiB". */
export function peakOverCapacity(e: MemoryEstimate): string {
  return `${gib(e.peakBytes)}/${gib(e.capacityBytes)} GiB`;
}

/** "weights 4.2 · gradients 8.5 · optimizer 25.4 · activations 23.7 · overhead 7.9". */
export function breakdownText(b: Breakdown, separator = ' · '): string {
  return BREAKDOWN_TERMS.map((k) => `${k} ${gib(b[k])}`).join(separator);
}

function breakdownJson(b: Breakdown): Record<string, number> {
  return Object.fromEntries(BREAKDOWN_TERMS.map((k) => [k, Math.round(b[k])]));
}

export interface MemoryJson {
  gpu: string;
  capacityBytes: number;
  peakBytes: number;
  peakStage: number;
  bandFraction: number;
  bandReasons: string[];
  breakdown: Record<string, number>;
  stages: { stage: number; peakBytes: number; breakdown: Record<string, number> }[];
}

export function memoryJson(e: MemoryEstimate): MemoryJson {
  return {
    gpu: e.gpu.id,
    capacityBytes: e.capacityBytes,
    peakBytes: Math.round(e.peakBytes),
    peakStage: e.peakStage,
    bandFraction: e.bandFraction,
    bandReasons: e.bandReasons,
    breakdown: breakdownJson(e.breakdown),
    stages: e.stages.map((s) => ({ stage: s.stage, peakBytes: Math.round(s.peakBytes), breakdown: breakdownJson(s.breakdown) })),
  };
}

/** The CLI's memory line of a plan. */
export function memoryLine(m: PlanMemory): string {
  const e = m.estimate;
  if (!e) return `? for the ${m.gpu.gpu.name}: ${m.unknown.map((u) => `${u.field} (${u.reason})`).join('; ')}`;
  const stage = e.stages.length > 1 ? `, stage ${e.peakStage}` : '';
  return `${peakOverCapacity(e)} per GPU (${m.gpu.gpu.id}, ±${Math.round(e.bandFraction * 100)}%${stage}): ${breakdownText(e.breakdown)}`;
}

/** Where the GPU choice comes from, for hovers. */
function gpuSource(m: PlanMemory): string {
  const from = m.gpu.from;
  if (from.kind === 'directive') return `the comment on line ${from.range.start.line + 1}`;
  return from.kind === 'setting' ? 'the recipeLens.gpu setting' : 'the default; set recipeLens.gpu or a `# recipe-lens: gpu=...` comment';
}

/** At most this many pipeline stages get a column of their own in a hover. */
const STAGE_COLUMNS = 8;

/** The hover's memory section: a table of the breakdown per pipeline stage, the capacity and the band. */
export function memoryMarkdown(m: PlanMemory): string[] {
  const e = m.estimate;
  const gpu = `${m.gpu.gpu.name} (${gpuSource(m)})`;
  if (!e) return [`**Memory per GPU** on the ${gpu}: not estimated, because a value it needs is unknown:`, ...m.unknown.slice(0, 6).map((u) => `- \`${u.field}\`: ${u.reason}`)];
  const stages = e.stages.length <= STAGE_COLUMNS ? e.stages : [e.stages[e.peakStage]!];
  const head = stages.length === 1 ? ['GiB'] : stages.map((s) => `stage ${s.stage}${s.stage === e.peakStage ? ' (peak)' : ''}`);
  const row = (name: string, cells: string[]) => `| ${name} | ${cells.join(' | ')} |`;
  const share = Math.round((e.peakBytes / e.capacityBytes) * 100);
  return [
    `**Memory per GPU** on the ${gpu}: ${peakOverCapacity(e)} (${share}%), ±${Math.round(e.bandFraction * 100)}%`,
    '',
    row('', head),
    row('---', head.map(() => '---:')),
    ...BREAKDOWN_TERMS.map((t) => row(t, stages.map((s) => gib(s.breakdown[t])))),
    row('**total**', stages.map((s) => `**${gib(s.peakBytes)}**`)),
    row('capacity', stages.map(() => gib(e.capacityBytes))),
    '',
    e.bandReasons.length ? `The band is wider than the calibration's 5%: ${e.bandReasons.join('; ')}.` : 'Calibrated on measured H100 runs: the band is 5%.',
    ...(m.setup?.batch.microbatches === null && e.stages.length > 1 ? ['', 'The global batch is unknown: the pipeline is assumed to hold as many micro-batches as its schedule allows.'] : []),
  ];
}

/** The inlay hint after the line that creates a job: "DP=2 · 61.3/79.6 GiB". */
export function memoryHint(dp: number | null, m: PlanMemory): string {
  return `DP=${dp ?? '?'} · ${m.estimate ? peakOverCapacity(m.estimate) : 'memory ?'}`;
}
