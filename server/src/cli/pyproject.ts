// `[tool.recipe-lens]` in pyproject.toml: a project's settings for `recipe-lens check`, with the
// keys of the editor's settings and validated by the same schema (server/src/config/settings.ts),
// so that CI, pre-commit and the command line read one configuration. The file is the one in the
// current directory or the nearest folder above it whose pyproject.toml has the table, looking no
// further than the repository's root (the folder holding .git) or the file system's root.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as z from 'zod';
import { settingsSchema, type Settings } from '../config/settings';
import { errorCode } from './files';
import { codesNamed } from '../config/ruleSelection';

const SettingsSchema = settingsSchema();
const { shape } = SettingsSchema;

/** A group of settings (cluster, bridge...), refusing keys it does not know. */
function strictGroup<T extends z.ZodObject>(group: z.ZodDefault<T>) {
  return group.unwrap().strict().optional();
}

/**
 * The settings a project file may hold: those of the analysis, not the editor's display ones
 * (inlay hints, code lenses, tracing). Unknown keys are errors, so a typo is not silently ignored.
 */
const ProjectSettingsSchema = SettingsSchema.pick({ gpu: true, select: true, ignore: true, severity: true })
  .extend({ cluster: strictGroup(shape.cluster), megatronCore: strictGroup(shape.megatronCore), bridge: strictGroup(shape.bridge) })
  .strict();

const KEYS = 'gpu, select, ignore, severity, cluster.gpusPerNode, megatronCore.version, bridge.version';

export interface ProjectConfig {
  /** The file, as the user named it or relative to the current directory. */
  shown: string;
  settings: Settings;
}

/** The file's settings; undefined when it has no [tool.recipe-lens] table; a message when invalid. */
export type ConfigRead = { config?: ProjectConfig } | { error: string };

/** Reads `file`, shown in messages as `shown`. */
export async function readProjectConfig(file: string, shown: string): Promise<ConfigRead> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    return { error: `${shown}: cannot be read (${errorCode(e)})` };
  }
  // smol-toml's types describe its ES module only, which TypeScript will not let this CommonJS
  // module require; a dynamic import is allowed (esbuild bundles it all the same).
  const { parse, TomlError } = await import('smol-toml');
  let document: Record<string, unknown>;
  try {
    document = parse(text);
  } catch (e) {
    if (e instanceof TomlError) return { error: `${shown}:${e.line}:${e.column}: not valid TOML: ${e.message.replace(/^Invalid TOML document: /, '').split('\n')[0]}` };
    throw e;
  }
  const tool = document['tool'];
  const table = tool && typeof tool === 'object' ? (tool as Record<string, unknown>)['recipe-lens'] : undefined;
  if (table === undefined) return {};
  const parsed = ProjectSettingsSchema.safeParse(table);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return { error: `${shown}: [tool.recipe-lens]${keyPath(issue.path, issue.code === 'unrecognized_keys' ? issue.keys[0] : undefined)}: ${problem(issue, table)}` };
  }
  const unknownCode = unknownRuleCode(parsed.data);
  if (unknownCode) return { error: `${shown}: [tool.recipe-lens] ${unknownCode.key}: "${unknownCode.code}" names no rule; docs/rules/README.md lists the codes` };
  return { config: { shown, settings: SettingsSchema.parse(parsed.data) } };
}

/**
 * The nearest pyproject.toml with a [tool.recipe-lens] table, from `cwd` up to the repository's
 * root; shown relative to `cwd`.
 */
export async function findProjectConfig(cwd: string): Promise<ConfigRead> {
  for (let dir = cwd, up = ''; ; dir = dirname(dir), up += '../') {
    const file = join(dir, 'pyproject.toml');
    if (existsSync(file)) {
      const read = await readProjectConfig(file, `${up}pyproject.toml`);
      if ('error' in read || read.config) return read;
    }
    if (existsSync(join(dir, '.git')) || dirname(dir) === dir) return {};
  }
}

/** ` cluster.gpusPerNode`, ` ignore[1]`; empty for the table itself. */
function keyPath(path: readonly PropertyKey[], unknownKey?: string): string {
  const parts = unknownKey === undefined ? path : [...path, unknownKey];
  const text = parts.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i ? '.' : ''}${String(p)}`)).join('');
  return text ? ` ${text}` : '';
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  return path.reduce<unknown>((v, key) => (v && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[key] : undefined), root);
}

/** A value as TOML writes it, for messages. */
function tomlText(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (Array.isArray(v)) return 'an array';
  if (v && typeof v === 'object') return 'a table';
  return String(v);
}

const TYPES: Record<string, string> = { object: 'a table', array: 'an array', string: 'a string', number: 'a number', int: 'a whole number', boolean: 'true or false' };

function problem(issue: z.core.$ZodIssue, table: unknown): string {
  const value = valueAt(table, issue.path);
  switch (issue.code) {
    case 'unrecognized_keys':
      return `not a setting; the settings are ${KEYS}`;
    case 'invalid_key':
      // Our own messages name what is expected ("a rule code such as ...").
      return `the key must be ${issue.issues[0]?.message ?? 'valid'}`;
    case 'custom':
    case 'invalid_format':
      return `expected ${issue.message}, not ${tomlText(value)}`;
    case 'invalid_type':
      return `expected ${TYPES[issue.expected] ?? issue.expected}, not ${tomlText(value)}`;
    case 'too_small':
      return `expected ${issue.inclusive ? 'at least' : 'more than'} ${String(issue.minimum)}, not ${tomlText(value)}`;
    case 'invalid_value':
      return `expected one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}, not ${tomlText(value)}`;
    default:
      return `${issue.message}, not ${tomlText(value)}`;
  }
}

/** A code of select, ignore or severity that passes the schema's pattern but names no rule (RL7, RL999). */
function unknownRuleCode(s: z.infer<typeof ProjectSettingsSchema>): { key: string; code: string } | undefined {
  const entries: [string, string][] = [
    ...(s.select ?? []).map((c, i): [string, string] => [`select[${i}]`, c]),
    ...(s.ignore ?? []).map((c, i): [string, string] => [`ignore[${i}]`, c]),
    ...Object.keys(s.severity ?? {}).map((c): [string, string] => [`severity.${c}`, c]),
  ];
  const bad = entries.find(([, code]) => codesNamed(code).length === 0);
  return bad && { key: bad[0], code: bad[1] };
}
