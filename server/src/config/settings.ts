// The user's settings (`recipeLens.*`), defined once as a zod schema. Defaults come from the
// schema; a malformed value is reported and its default used, never an exception.
import { z } from 'zod';
import { DEFAULT_RULE_SETTINGS, type RuleSettings } from '../rules/rule';
import { findGpu, gpuIds } from '../memory/gpus';

export const SettingsSchema = z.object({
  megatronCore: z
    .object({
      /** The Megatron-Core version the cluster runs, e.g. "0.15"; rules follow its behaviour. */
      version: z.string().regex(/^\d+\.\d+$/, 'a version such as "0.15"').default('0.20'),
    })
    .default({ version: '0.20' }),
  cluster: z
    .object({
      /** GPUs per node of the cluster the jobs run on; unset means unknown. */
      gpusPerNode: z.number().int().positive().nullable().default(null),
    })
    .default({ gpusPerNode: null }),
  /** The GPU jobs are estimated for: a catalog id or alias (a file's `# recipe-lens: gpu=` comment wins); unset, the H100 80GB. */
  gpu: z
    .string()
    .refine((name) => findGpu(name) !== undefined, { message: `an id of the GPU catalog (${gpuIds().join(', ')})` })
    .optional(),
  /** Rule codes never reported, as ruff's `ignore`. */
  ignore: z.array(z.string().regex(/^RL\d{3}$/, 'a rule code such as "RL402"')).default([]),
});

export type Settings = z.infer<typeof SettingsSchema>;

export const DEFAULT_SETTINGS: Settings = SettingsSchema.parse({});

export interface SettingsResult {
  settings: Settings;
  /** One line per malformed value, naming the setting; its default is used instead. */
  problems: string[];
}

/** Reads settings leniently: each malformed part falls back to its default. */
export function readSettings(raw: unknown): SettingsResult {
  if (raw === undefined || raw === null) return { settings: DEFAULT_SETTINGS, problems: [] };
  const parsed = SettingsSchema.safeParse(raw);
  if (parsed.success) return { settings: parsed.data, problems: [] };
  const problems = parsed.error.issues.map((i) => `recipeLens.${i.path.join('.')}: ${i.message}; using the default`);
  // Keep what is valid: drop each offending key and parse again.
  const copy = structuredClone(raw) as Record<string, unknown>;
  for (const issue of parsed.error.issues) {
    let cur: Record<string, unknown> | undefined = copy;
    for (const key of issue.path.slice(0, -1)) cur = cur?.[key as string] as Record<string, unknown> | undefined;
    const last = issue.path[issue.path.length - 1];
    if (cur && typeof cur === 'object' && last !== undefined) delete cur[last as string];
    else return { settings: DEFAULT_SETTINGS, problems };
  }
  const second = SettingsSchema.safeParse(copy);
  return { settings: second.success ? second.data : DEFAULT_SETTINGS, problems };
}

export function ruleSettings(s: Settings): RuleSettings {
  const [major, minor] = s.megatronCore.version.split('.').map(Number) as [number, number];
  return { ...DEFAULT_RULE_SETTINGS, megatronCore: [major, minor], ...(s.cluster.gpusPerNode ? { clusterGpusPerNode: s.cluster.gpusPerNode } : {}) };
}
