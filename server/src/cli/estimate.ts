// `recipe-lens estimate PLAN.json`: the memory estimate of one plan given as JSON (the shape of a
// `plans` entry of `check --format json`, plus "gpu"), printed as a table or as the plan with its
// `memory` filled.
import { readFileSync } from 'node:fs';
import { BREAKDOWN_TERMS, estimateMemory } from '../memory/estimate';
import { setupFromInput } from '../memory/estimateInput';
import { gib, memoryJson } from '../memory/format';
import { totalParameters } from '../memory/shape';

export interface EstimateIo {
  out: (s: string) => void;
  err: (s: string) => void;
}

export function runEstimate(path: string, format: 'text' | 'json', io: EstimateIo): number {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path === '-' ? 0 : path, 'utf8'));
  } catch (e) {
    io.err(`recipe-lens estimate: ${path}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
    return 2;
  }
  const result = setupFromInput(raw);
  if ('errors' in result) {
    io.err(`recipe-lens estimate: ${path} is not a plan the memory model can read:\n${result.errors.map((e) => `  ${e}`).join('\n')}`);
    return 2;
  }
  const s = result.setup;
  const e = estimateMemory(s);
  if (format === 'json') {
    io.out(JSON.stringify({ ...(raw as object), memory: memoryJson(e) }, null, 2));
    return 0;
  }
  const l = s.layout;
  const world = l.tp * l.pp * l.cp * l.dp;
  const pad = (x: string, n: number) => x.padEnd(n);
  const lines = [
    path,
    `  layout     W = TP ${l.tp} x PP ${l.pp} x CP ${l.cp} x DP ${l.dp} = ${world}${l.vp ? ` · VP ${l.vp}` : ''}${l.ep > 1 ? ` · EP ${l.ep} · ETP ${l.etp}` : ''} · SP ${l.sequenceParallel ? 'on' : 'off'}`,
    `  model      ${s.model.layers} layers, hidden ${s.model.hidden}, ${s.model.heads} heads, ${(totalParameters(s.model) / 1e9).toFixed(2)}B parameters`,
    `  memory     ${gib(e.peakBytes)}/${gib(e.capacityBytes)} GiB per GPU on the ${e.gpu.name} (±${Math.round(e.bandFraction * 100)}%${e.bandReasons.length ? `: ${e.bandReasons.join('; ')}` : ''})`,
    `  ${pad('stage', 7)}${BREAKDOWN_TERMS.map((t) => pad(t, 13)).join('')}total GiB`,
    ...e.stages.map((st) => `  ${pad(String(st.stage) + (st.stage === e.peakStage && e.stages.length > 1 ? '*' : ''), 7)}${BREAKDOWN_TERMS.map((t) => pad(gib(st.breakdown[t]), 13)).join('')}${gib(st.peakBytes)}`),
  ];
  io.out(lines.join('\n'));
  return 0;
}
