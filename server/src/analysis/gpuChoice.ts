// Which GPU a file's jobs run on: a directive comment in the file (`# recipe-lens: gpu=h200-141gb`)
// wins over the `recipeLens.gpu` setting, which defaults to the H100 80GB. A directive naming a
// GPU the catalog does not know is reported (RL404) and the setting is used.
import { defaultGpu, findGpu, gpuIds, gpuNames, normaliseGpuName, type GpuChoice } from '../memory/gpus';
import type { Diagnostic } from '../rules/diagnostic';
import type { Directive } from './directives';

/** The GPU for a file, and a diagnostic when its directive names an unknown GPU. */
export function chooseGpu(directives: Map<string, Directive>, setting: string | undefined): { choice: GpuChoice; diagnostic?: Diagnostic } {
  // A setting that names the default GPU says nothing more than the default does.
  const settingGpu = setting !== undefined ? findGpu(setting) : undefined;
  const fallback: GpuChoice = settingGpu && settingGpu !== defaultGpu() ? { gpu: settingGpu, from: { kind: 'setting' } } : { gpu: defaultGpu(), from: { kind: 'default' } };
  const directive = directives.get('gpu');
  if (!directive) return { choice: fallback };
  const gpu = findGpu(directive.value);
  if (gpu) return { choice: { gpu, from: { kind: 'directive', range: directive.range } } };
  const nearest = nearestName(normaliseGpuName(directive.value));
  return {
    choice: fallback,
    diagnostic: {
      code: 'RL404',
      name: 'unknown-gpu',
      severity: 'warning',
      message: `unknown GPU "${directive.value}"; the catalog has ${gpuIds().join(', ')}; estimating for the ${fallback.gpu.name} instead`,
      range: directive.range,
      related: [],
      fixes: nearest ? [{ title: `Replace with ${nearest}`, edits: [{ range: directive.range, newText: nearest }], preferred: true }] : [],
    },
  };
}

/** The catalog name closest to a misspelt one (at most three edits away). */
function nearestName(name: string): string | undefined {
  let best: { name: string; distance: number } | undefined;
  for (const candidate of gpuNames()) {
    const d = editDistance(name, candidate);
    if (d <= 3 && (!best || d < best.distance)) best = { name: candidate, distance: d };
  }
  return best?.name;
}

function editDistance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) next[j] = Math.min(row[j]! + 1, next[j - 1]! + 1, row[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    row = next;
  }
  return row[b.length]!;
}
