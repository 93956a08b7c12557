// `recipe-lens layouts FILE`: the valid layouts that fit, for one job of a file, ranked (best
// first), as a table or as JSON with the field names of `check`'s plans.
import { readFileSync } from 'node:fs';
import type { Parser } from 'web-tree-sitter';
import { analyzeText } from '../analysis/analyze';
import { layoutTitle } from '../analysis/layoutFix';
import { pythonValue } from '../analysis/fixes';
import { memoryJson } from '../memory/format';
import { planToJson } from '../plan/json';
import { FIELDS } from '../rules/fields';
import { DEFAULT_RULE_SETTINGS } from '../rules/rule';
import { searchLayouts, type RankedLayout } from '../search/search';

export interface LayoutsOptions {
  job: number;
  gpus?: number;
  maxGpus?: number;
  top: number;
  gpu?: string;
  format: 'text' | 'json';
}

function layoutJson(l: RankedLayout, gbs: number, seq: number, gradReduceInFp32: boolean) {
  const c = l.choice;
  return {
    world: { nodes: c.nodes, gpusPerNode: c.gpusPerNode, size: c.nodes * c.gpusPerNode },
    parallelism: { tp: c.tp, pp: c.pp, vp: c.vp, cp: c.cp, ep: c.ep, etp: c.etp, dp: l.dp, sequenceParallel: c.sp },
    batch: { global: gbs, micro: c.mbs, seqLength: seq },
    recompute: c.recompute === 'full' ? { granularity: 'full', method: 'uniform', numLayers: 1 } : { granularity: c.recompute === 'none' ? null : c.recompute, method: null, numLayers: null },
    optimizer: { distributed: c.distributedOptimizer, gradReduceInFp32 },
    memory: memoryJson(l.estimate),
    estimatedStepSeconds: Number(l.step.seconds.toPrecision(4)),
    stepTimeParts: Object.fromEntries(Object.entries(l.step.parts).map(([k, v]) => [k, Number(v.toPrecision(4))])),
    changes: l.changes.map((x) => ({ field: FIELDS[x.key].python, value: x.value })),
  };
}

export function runLayouts(parser: Parser, path: string, o: LayoutsOptions, io: { out: (s: string) => void; err: (s: string) => void }): number {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    io.err(`recipe-lens layouts: ${path}: cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    return 2;
  }
  const analysis = analyzeText(parser, text, { gpu: o.gpu, verifyFixes: false });
  const plan = analysis.plans[o.job - 1];
  if (!plan) {
    io.err(`recipe-lens layouts: ${path} defines ${analysis.plans.length} training job${analysis.plans.length === 1 ? '' : 's'}${analysis.skipped ? ` (not analysed: ${analysis.skipped})` : ''}; no job ${o.job}`);
    return 2;
  }
  const memory = analysis.memory[o.job - 1]!;
  const started = performance.now();
  const result = searchLayouts(plan, memory, DEFAULT_RULE_SETTINGS, { gpus: o.gpus, maxGpus: o.maxGpus, top: o.top });
  const ms = performance.now() - started;
  if ('unknown' in result) {
    io.err(`recipe-lens layouts: cannot search the layouts of ${plan.origin}: ${result.unknown}`);
    return 2;
  }
  const gbs = plan.batch.global.value!;
  const seq = memory.setup?.batch.seq ?? plan.batch.seqLength.value ?? 0;
  const fp32 = plan.optimizer.gradReduceInFp32.value ?? false;
  if (o.format === 'json') {
    io.out(JSON.stringify({ version: 1, plan: planToJson(plan, memory), layouts: result.layouts.map((l) => layoutJson(l, gbs, seq, fp32)), stats: result.stats }, null, 2));
    return 0;
  }
  const lines = [`${path}: ${plan.origin} on the ${memory.gpu.gpu.name}, global batch ${gbs}, sequence ${seq}`];
  if (!result.layouts.length) lines.push('  no layout every rule accepts fits in memory');
  result.layouts.forEach((l, i) => {
    const fit = l.roomy ? '' : ' (above 90%)';
    const changes = l.changes.length ? l.changes.map((x) => `${FIELDS[x.key].python}=${pythonValue(x.value)}`).join(' ') : 'the current layout';
    lines.push(`  ${String(i + 1).padStart(2)}. ${layoutTitle(l)}${fit}, ${l.step.seconds.toPrecision(3)} s/step  [${changes}]`);
  });
  lines.push(`  ${result.stats.structures} structures enumerated, ${result.stats.estimated} memory estimates, ${ms.toFixed(1)} ms; steps are estimated to rank layouts, not to time them (docs/layouts.md)`);
  io.out(lines.join('\n'));
  return 0;
}
