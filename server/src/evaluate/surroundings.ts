// What the host (the language server, the CLI) found around a file by I/O the analysis core does
// not do itself: the Megatron-Bridge version the workspace pins, Hugging Face model configs from
// the local cache, launch commands in the workspace's scripts. The core stays a pure function of
// the text, the catalog and these facts; tests pass them directly.
import type { LaunchCommand } from '../launch/commands';

/** The Megatron-Bridge version to assume, and why (a setting, a lock file line). */
export interface AssumedBridgeVersion {
  version: string;
  /** "the recipeLens.bridgeVersion setting", "uv.lock line 120", ... */
  source: string;
}

/** A model's config.json, or why there is none. */
export type HfConfigLookup = { config: Record<string, unknown>; path: string } | { reason: string };

/** A launch command in another file of the workspace that runs this file. */
export interface WorkspaceLaunch {
  /** The file holding the command, relative to the workspace when it is inside it. */
  file: string;
  command: LaunchCommand;
}

export interface Surroundings {
  /** The file's own path: launch commands in its docstrings must name it. */
  path?: string;
  bridgeVersion?: AssumedBridgeVersion;
  /** Reads a Hugging Face model's config.json from the local cache (never the network). */
  hfConfig?(modelId: string): HfConfigLookup;
  launches?: readonly WorkspaceLaunch[];
}
