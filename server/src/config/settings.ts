// The user's settings (`recipeLens.*`), defined once as a zod schema. Defaults come from the
// schema; a malformed value is reported and its default used, never an exception.
// A namespace import, which esbuild shakes to the parts used (the `z` export is the whole of zod
// classic, 200 KB more for every start of the server to read and compile).
import * as z from 'zod';
import { DEFAULT_RULE_SETTINGS, type RuleSettings } from '../rules/rule';
import { DEFAULT_GPU_ID, findGpu, gpuIds } from '../memory/gpus';
import { bridgeEraOfVersion } from '../catalog/bridgeVersions';

const RULE_CODE = z.string().regex(/^RL\d{3}$/, 'a rule code such as "RL402"');
/** A rule code, or a prefix standing for every code that starts with it (RL4: RL401 to RL404), as ruff selects rules. */
const RULE_SELECTOR = z.string().regex(/^RL\d{0,3}$/, 'a rule code or prefix such as "RL402" or "RL4"');

/**
 * Every setting, with its description and default: the single source of the `recipeLens.*`
 * contributions in package.json (`npm run settings` writes them; a test checks they agree).
 */
export const SettingsSchema = z.object({
  // Lazy: the message and the description list the GPU catalog, which loading this module must
  // not read (see memory/gpus.ts).
  gpu: z
    .lazy(() =>
      z
        .string()
        .refine((name) => findGpu(name) !== undefined, { message: `an id of the GPU catalog (${gpuIds().join(', ')})` })
        .describe(`The GPU memory is estimated for: ${gpuIds().join(', ')}, or a common spelling such as "H200" or "A100-SXM4-80GB". A \`# recipe-lens: gpu=...\` comment in a file wins for that file.`),
    )
    .default(DEFAULT_GPU_ID),
  cluster: z
    .object({
      gpusPerNode: z.number().int().positive().nullable().default(null).describe('GPUs per node of the cluster the jobs run on; recipes asking for more are reported. Unset, no check.'),
    })
    .default({ gpusPerNode: null }),
  megatronCore: z
    .object({
      version: z.string().regex(/^\d+\.\d+$/, 'a version such as "0.15"').default('0.20').describe('The Megatron-Core version the cluster runs, such as "0.15": rules follow its behaviour.'),
    })
    .default({ version: '0.20' }),
  bridge: z
    .object({
      version: z
        .string()
        .refine((v) => bridgeEraOfVersion(v) !== undefined, { message: 'a version such as "0.5.1"' })
        .nullable()
        .default(null)
        .describe('The Megatron-Bridge version recipes are read for, such as "0.5.1". Unset: the version the workspace pins (uv.lock, poetry.lock, Pipfile.lock, pyproject.toml, requirements files), else the newest.'),
    })
    .default({ version: null }),
  select: z.array(RULE_SELECTOR).default([]).describe('Rule codes (or prefixes such as RL4) to report; empty reports all.'),
  ignore: z.array(RULE_CODE).default([]).describe('Rule codes never reported, such as ["RL402"].'),
  severity: z
    .record(RULE_CODE, z.enum(['error', 'warning', 'information', 'hint']))
    .default({})
    .describe('Severity overrides by rule code, such as {"RL216": "information"}.'),
  inlayHints: z
    .object({ enable: z.boolean().default(true).describe('Show the data-parallel size and the memory per GPU after the line that creates each job.') })
    .default({ enable: true }),
  codeLens: z
    .object({ enable: z.boolean().default(true).describe('Show the layout and the peak memory per GPU above the line that creates each job.') })
    .default({ enable: true }),
  trace: z
    .object({ server: z.enum(['off', 'messages', 'verbose']).default('off').describe('Log the messages between VS Code and the Recipe Lens server in its output channel.') })
    .default({ server: 'off' }),
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
