// The GPU catalog (server/catalog/gpus.json): usable memory, FP8 support and NVLink domain of each
// GPU, every figure with its source. Validated with zod once, when first used. Users name a GPU
// by its id or an alias, in any case, with spaces or underscores for hyphens.
import { z } from 'zod';
import data from '../../catalog/gpus.json';
import type { Range } from '../parse/positions';

const Sourced = <T extends z.ZodType>(value: T) => z.object({ value, source: z.string().min(1) });

const GpuEntry = z.object({
  id: z.string().regex(/^[a-z0-9-]+$/),
  name: z.string(),
  aliases: z.array(z.string().regex(/^[a-z0-9-]+$/)),
  architecture: z.enum(['ampere', 'ada', 'hopper', 'blackwell']),
  usableMiB: Sourced(z.number().int().positive()),
  fp8: Sourced(z.boolean()),
  nvlinkDomain: Sourced(z.number().int().positive()),
  bf16DenseTflops: Sourced(z.number().positive()),
  nvlinkGBps: Sourced(z.number().positive()),
  networkGBps: Sourced(z.number().positive()),
});

const Catalog = z.object({ gpus: z.array(GpuEntry).min(1) });

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
  const gpus = Catalog.parse(data).gpus.map((g) => {
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
