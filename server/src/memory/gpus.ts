// The GPU catalog (server/catalog/gpus.json): usable memory, FP8 support and NVLink domain of each
// GPU, every figure with its source. Users name a GPU by its id or an alias, in any case, with
// spaces or underscores for hyphens. Like the recipe catalogs, the file is checked against its zod
// schema (catalog/schemas.ts) by the tests, not at run time, and read on first use.
import type { GpuCatalog } from '../catalog/schemas';
import type { Range } from '../parse/positions';

export interface Gpu {
  id: string;
  name: string;
  architecture: 'ampere' | 'ada' | 'hopper' | 'blackwell';
  /** What nvidia-smi reports as the total: the ceiling for the estimate with its overhead. */
  usableBytes: number;
  fp8: boolean;
  nvlinkDomain: number;
  /** Dense BF16 tensor-core peak, TFLOPS. */
  bf16DenseTflops: number;
  /** NVLink bandwidth of one GPU, one direction, GB/s (PCIe where there is no NVLink). */
  nvlinkGBps: number;
  /** Scale-out network bandwidth per GPU in the reference system, one direction, GB/s. */
  networkGBps: number;
}

/** The GPU a file's jobs are estimated for, and where that choice comes from. */
export interface GpuChoice {
  gpu: Gpu;
  from: { kind: 'directive'; range: Range } | { kind: 'setting' } | { kind: 'default' };
}

export const DEFAULT_GPU_ID = 'h100-80gb';

let catalog: { gpus: Gpu[]; byName: Map<string, Gpu> } | undefined;

function load() {
  if (catalog) return catalog;
  const byName = new Map<string, Gpu>();
  // require(), not import: nothing reads the catalog until an analysis or a setting needs a GPU.
  const data = require('../../catalog/gpus.json') as GpuCatalog;
  const gpus = data.gpus.map((g) => {
    const gpu: Gpu = {
      id: g.id,
      name: g.name,
      architecture: g.architecture,
      usableBytes: g.usableMiB.value * 2 ** 20,
      fp8: g.fp8.value,
      nvlinkDomain: g.nvlinkDomain.value,
      bf16DenseTflops: g.bf16DenseTflops.value,
      nvlinkGBps: g.nvlinkGBps.value,
      networkGBps: g.networkGBps.value,
    };
    for (const name of [g.id, ...g.aliases]) byName.set(name, gpu);
    return gpu;
  });
  catalog = { gpus, byName };
  return catalog;
}

export function gpuCatalog(): Gpu[] {
  return load().gpus;
}

export function normaliseGpuName(name: string): string {
  return name.trim().toLowerCase().replace(/[\s_]+/g, '-');
}

/** The GPU a user named, or undefined. */
export function findGpu(name: string): Gpu | undefined {
  return load().byName.get(normaliseGpuName(name));
}

export function defaultGpu(): Gpu {
  return findGpu(DEFAULT_GPU_ID)!;
}

/** Every id and alias, for suggestions. */
export function gpuNames(): string[] {
  return [...load().byName.keys()];
}

/** The ids users may name, for messages about an unknown GPU. */
export function gpuIds(): string[] {
  return gpuCatalog().map((g) => g.id);
}
