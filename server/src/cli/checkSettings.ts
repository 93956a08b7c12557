// The settings of one `check` run: the project's [tool.recipe-lens] (pyproject.ts), unless
// --no-config, with the command-line flags over it. A flag replaces the file's value of its key
// (`--ignore RL216` drops the file's ignore list); ignore still wins over select whichever
// source each came from.
import { existsSync } from 'node:fs';
import { bridgeEraOfVersion } from '../catalog/bridgeVersions';
import { DEFAULT_SETTINGS, type Settings } from '../config/settings';
import { findGpu, gpuIds } from '../memory/gpus';
import { findProjectConfig, readProjectConfig, type ConfigRead } from './pyproject';
import { codesNamed } from '../config/ruleSelection';

export interface CheckFlags {
  gpu?: string;
  select?: string;
  ignore?: string;
  bridgeVersion?: string;
  config?: string;
  noConfig: boolean;
}

export interface RunSettings {
  settings: Settings;
  /** The Megatron-Bridge version asked for, and where it was asked (said in hovers and plans). */
  bridgeVersion: { version: string; source: string } | null;
}

/** `RL101, rl4` as given to --select or --ignore; a message naming the first entry that names no rule. */
function selectors(flag: 'select' | 'ignore', value: string): string[] | { error: string } {
  const codes = value.split(',').map((c) => c.trim().toUpperCase()).filter(Boolean);
  const bad = codes.find((c) => codesNamed(c).length === 0);
  return bad === undefined ? codes : { error: `--${flag}: '${bad}' is not a rule code or a prefix of one, such as RL402 or RL4 (docs/rules/README.md lists them)` };
}

async function projectConfig(flags: CheckFlags, cwd: string): Promise<ConfigRead> {
  if (flags.noConfig) return flags.config === undefined ? {} : { error: '--config and --no-config contradict each other; give one' };
  if (flags.config === undefined) return findProjectConfig(cwd);
  if (!existsSync(flags.config)) return { error: `--config: ${flags.config}: no such file` };
  const read = await readProjectConfig(flags.config, flags.config);
  return 'error' in read || read.config ? read : { error: `${flags.config}: no [tool.recipe-lens] table` };
}

export async function checkSettings(flags: CheckFlags, cwd: string): Promise<RunSettings | { error: string }> {
  const read = await projectConfig(flags, cwd);
  if ('error' in read) return read;
  const file = read.config;
  const settings: Settings = structuredClone(file?.settings ?? DEFAULT_SETTINGS);
  if (flags.gpu !== undefined) {
    if (!findGpu(flags.gpu)) return { error: `--gpu: unknown GPU '${flags.gpu}'; the catalog has ${gpuIds().join(', ')}` };
    settings.gpu = flags.gpu;
  }
  for (const key of ['select', 'ignore'] as const) {
    const value = flags[key];
    if (value === undefined) continue;
    const codes = selectors(key, value);
    if ('error' in codes) return codes;
    settings[key] = codes;
  }
  if (flags.bridgeVersion !== undefined) {
    if (!bridgeEraOfVersion(flags.bridgeVersion)) return { error: `--bridge-version: '${flags.bridgeVersion}' is not a version such as 0.5.1` };
    return { settings: { ...settings, bridge: { version: flags.bridgeVersion } }, bridgeVersion: { version: flags.bridgeVersion, source: '--bridge-version' } };
  }
  const fileVersion = settings.bridge.version;
  return { settings, bridgeVersion: fileVersion && file ? { version: fileVersion, source: `[tool.recipe-lens] bridge.version in ${file.shown}` } : null };
}
