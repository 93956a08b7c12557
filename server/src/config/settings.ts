// The user's settings (`recipeLens.*`), defined once as a zod schema whose defaults are the
// DEFAULT_SETTINGS object; a malformed value is reported and its default used, never an exception.
// The schema is built when first needed, not when the server loads: building it and compiling its
// parser cost every start about 2.5 ms before the first diagnostics, which use the defaults (the
// editor's settings arrive after them, and are validated then).
// A namespace import, which esbuild shakes to the parts used (the `z` export is the whole of zod
// classic, 200 KB more for every start of the server to read and compile).
import * as z from 'zod';
import { DEFAULT_RULE_SETTINGS, type RuleSettings } from '../rules/rule';
import { DEFAULT_GPU_ID, findGpu, gpuIds } from '../memory/gpus';
import { bridgeEraOfVersion } from '../catalog/bridgeVersions';

/** The defaults, typed as the schema reads them (DEFAULT_SETTINGS below checks they are Settings). */
const DEFAULTS = {
  gpu: DEFAULT_GPU_ID as string,
  cluster: { gpusPerNode: null as number | null },
  megatronCore: { version: '0.20' },
  bridge: { version: null as string | null },
  select: [] as string[],
  ignore: [] as string[],
  severity: {} as Record<string, 'error' | 'warning' | 'information' | 'hint'>,
  inlayHints: { enable: true },
  codeLens: { enable: true },
  trace: { server: 'off' as 'off' | 'messages' | 'verbose' },
};

function deepFreeze<T extends object>(o: T): T {
  for (const v of Object.values(o)) if (typeof v === 'object' && v !== null) deepFreeze(v);
  return Object.freeze(o);
}

/**
 * Every setting, with its description and default: the single source of the `recipeLens.*`
 * contributions in package.json (`npm run settings` writes them; a test checks they agree).
 */
function buildSchema() {
  const ruleCode = z.string().regex(/^RL\d{3}$/, 'a rule code such as "RL402"');
  /** A rule code, or a prefix standing for every code that starts with it (RL4: RL401 to RL404), as ruff selects rules. */
  const ruleSelector = z.string().regex(/^RL\d{0,3}$/, 'a rule code or prefix such as "RL402" or "RL4"');
  const d = DEFAULTS;
  return z.object({
    // Lazy: the message and the description list the GPU catalog, which loading this module must
    // not read (see memory/gpus.ts).
    gpu: z
      .lazy(() =>
        z
          .string()
          .refine((name) => findGpu(name) !== undefined, { message: `an id of the GPU catalog (${gpuIds().join(', ')})` })
          .describe(`The GPU memory is estimated for: ${gpuIds().join(', ')}, or a common spelling such as "H200" or "A100-SXM4-80GB". A \`# recipe-lens: gpu=...\` comment in a file wins for that file.`),
      )
      .default(d.gpu),
    cluster: z
      .object({
        gpusPerNode: z.number().int().positive().nullable().default(d.cluster.gpusPerNode).describe('GPUs per node of the cluster the jobs run on; recipes asking for more are reported. Unset, no check.'),
      })
      .default(d.cluster),
    megatronCore: z
      .object({
        version: z.string().regex(/^\d+\.\d+$/, 'a version such as "0.15"').default(d.megatronCore.version).describe('The Megatron-Core version the cluster runs, such as "0.15": rules follow its behaviour.'),
      })
      .default(d.megatronCore),
    bridge: z
      .object({
        version: z
          .string()
          .refine((v) => bridgeEraOfVersion(v) !== undefined, { message: 'a version such as "0.5.1"' })
          .nullable()
          .default(d.bridge.version)
          .describe('The Megatron-Bridge version recipes are read for, such as "0.5.1". Unset: the version the workspace pins (uv.lock, poetry.lock, Pipfile.lock, pyproject.toml, requirements files), else the newest.'),
      })
      .default(d.bridge),
    select: z.array(ruleSelector).default(d.select).describe('Rule codes (or prefixes such as RL4) to report; empty reports all.'),
    ignore: z.array(ruleCode).default(d.ignore).describe('Rule codes never reported, such as ["RL402"].'),
    severity: z
      .record(ruleCode, z.enum(['error', 'warning', 'information', 'hint']))
      .default(d.severity)
      .describe('Severity overrides by rule code, such as {"RL216": "information"}.'),
    inlayHints: z
      .object({ enable: z.boolean().default(d.inlayHints.enable).describe('Show the data-parallel size and the memory per GPU after the line that creates each job.') })
      .default(d.inlayHints),
    codeLens: z
      .object({ enable: z.boolean().default(d.codeLens.enable).describe('Show the layout and the peak memory per GPU above the line that creates each job.') })
      .default(d.codeLens),
    trace: z
      .object({ server: z.enum(['off', 'messages', 'verbose']).default(d.trace.server).describe('Log the messages between VS Code and the Recipe Lens server in its output channel.') })
      .default(d.trace),
  });
}

let schema: ReturnType<typeof buildSchema> | undefined;

/** The schema of the settings, built on first use. */
export function settingsSchema(): ReturnType<typeof buildSchema> {
  schema ??= buildSchema();
  return schema;
}

export type Settings = z.infer<ReturnType<typeof buildSchema>>;

/**
 * What every setting is when the user sets nothing: the schema's defaults (test/config checks that
 * the schema parses an empty object to exactly this). Frozen, as every analysis shares it.
 */
export const DEFAULT_SETTINGS: Settings = deepFreeze(DEFAULTS);

export interface SettingsResult {
  settings: Settings;
  /** One line per malformed value, naming the setting; its default is used instead. */
  problems: string[];
}

/** Reads settings leniently: each malformed part falls back to its default. */
export function readSettings(raw: unknown): SettingsResult {
  if (raw === undefined || raw === null) return { settings: DEFAULT_SETTINGS, problems: [] };
  const parsed = settingsSchema().safeParse(raw);
  if (parsed.success) return { settings: parsed.data, problems: [] };
  const problems = parsed.error.issues.map((i) => `recipeLens.${i.path.join('.')}: ${i.message}; ${typeof i.path[i.path.length - 1] === 'number' ? 'left out' : 'using the default'}`);
  // Keep what is valid: drop each offending key, or list element, and parse again. Elements are
  // removed after all the keys, highest index first, so that one removal does not move another;
  // `delete` would leave a hole, which fails the second parse and loses every valid setting.
  const copy = structuredClone(raw) as Record<string, unknown>;
  const elements: { list: unknown[]; index: number }[] = [];
  for (const issue of parsed.error.issues) {
    let cur: Record<string, unknown> | undefined = copy;
    for (const key of issue.path.slice(0, -1)) cur = cur?.[key as string] as Record<string, unknown> | undefined;
    const last = issue.path[issue.path.length - 1];
    if (Array.isArray(cur) && typeof last === 'number') elements.push({ list: cur, index: last });
    else if (cur && typeof cur === 'object' && last !== undefined) delete cur[last as string];
    else return { settings: DEFAULT_SETTINGS, problems };
  }
  for (const { list, index } of elements.sort((a, b) => b.index - a.index)) list.splice(index, 1);
  const second = settingsSchema().safeParse(copy);
  return { settings: second.success ? second.data : DEFAULT_SETTINGS, problems };
}

export function ruleSettings(s: Settings): RuleSettings {
  const [major, minor] = s.megatronCore.version.split('.').map(Number) as [number, number];
  return { ...DEFAULT_RULE_SETTINGS, megatronCore: [major, minor], ...(s.cluster.gpusPerNode ? { clusterGpusPerNode: s.cluster.gpusPerNode } : {}) };
}
