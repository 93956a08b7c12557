// Gathers a file's surroundings for the analysis core (see evaluate/surroundings.ts): the
// Megatron-Bridge version (the setting, else the nearest pin), the launch commands of the
// workspace that run the file, and a reader of Hugging Face configs from the local cache. The
// language server and the CLI call it; the core never reads files itself.
import { homedir } from 'node:os';
import { dirname, relative, resolve, sep } from 'node:path';
import type { AssumedBridgeVersion, HfConfigLookup, Surroundings } from '../evaluate/surroundings';
import { findPinnedBridgeVersion } from './bridgeVersion';
import { hfCacheDir, readHfConfig } from './hfCache';
import { findLaunches } from './launchScripts';

export interface SurroundingsOptions {
  /** The workspace folders (the CLI: the current directory). */
  roots: readonly string[];
  /** The version a setting or flag names, and what to call that source. */
  bridgeVersion?: { version: string; source: string } | null;
  env?: NodeJS.ProcessEnv;
  home?: string;
}


export function gatherSurroundings(filePath: string, options: SurroundingsOptions): Surroundings {
  const path = resolve(filePath);
  const root = options.roots.map((r) => resolve(r)).find((r) => path === r || path.startsWith(r + sep));
  const shown = (file: string) => (root ? relative(root, file) : file);
  let bridgeVersion: AssumedBridgeVersion | undefined = options.bridgeVersion ?? undefined;
  if (!bridgeVersion) {
    const pin = findPinnedBridgeVersion(dirname(path), root);
    if (pin) bridgeVersion = { version: pin.version, source: `pinned in ${shown(pin.file)} line ${pin.line + 1}` };
  }
  const launches = findLaunches(path, options.roots).map((site) => ({ file: shown(site.file), command: site.command }));
  const cache = hfCacheDir(options.env ?? process.env, options.home ?? homedir());
  const read = new Map<string, HfConfigLookup>();
  const hfConfig = (id: string): HfConfigLookup => {
    if (!read.has(id)) read.set(id, readHfConfig(id, cache));
    return read.get(id)!;
  };
  return { path, launches, hfConfig, ...(bridgeVersion ? { bridgeVersion } : {}) };
}
