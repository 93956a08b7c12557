// A Hugging Face model's config.json read from the local Hugging Face cache, never the network, so a
// recipe built from an HF model id can be estimated with the model's real shape when it has been
// downloaded before. The cache layout is huggingface_hub's: models--{org}--{name}/refs/main holds the
// commit, snapshots/{commit}/config.json links into blobs/. Nothing outside the cache is read.
import { readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { join, sep } from 'node:path';

export type HfConfigResult = { config: Record<string, unknown>; path: string } | { reason: string };

const MODEL_ID = /^[A-Za-z0-9][\w.-]*\/[\w.-]+$/;
const COMMIT = /^[0-9a-f]{7,64}$/;
const MAX_BYTES = 1024 * 1024;

/** The hub cache directory as huggingface_hub finds it from the environment. */
export function hfCacheDir(env: NodeJS.ProcessEnv, home: string): string {
  const expand = (p: string) => (p === '~' || p.startsWith('~/') ? join(home, p.slice(1)) : p);
  // HUGGINGFACE_HUB_CACHE and XDG_CACHE_HOME are the older and the generic spellings huggingface_hub still honours.
  const hub = env.HF_HUB_CACHE || env.HUGGINGFACE_HUB_CACHE;
  if (hub) return expand(hub);
  if (env.HF_HOME) return join(expand(env.HF_HOME), 'hub');
  if (env.XDG_CACHE_HOME) return join(expand(env.XDG_CACHE_HOME), 'huggingface', 'hub');
  return join(home, '.cache', 'huggingface', 'hub');
}

/** The config.json of `modelId` (`org/name`) in the cache at `cacheDir`, or why there is none, in words for a hover. */
export function readHfConfig(modelId: string, cacheDir: string): HfConfigResult {
  if (!MODEL_ID.test(modelId) || modelId.includes('..')) return { reason: `${modelId} is not a Hugging Face model id (org/name), so the cache is not read` };
  const where = `the Hugging Face cache (${cacheDir})`;
  const missing = { reason: `no config.json for ${modelId} in ${where}` };
  const cacheReal = realPath(cacheDir);
  if (cacheReal === undefined) return { reason: `no Hugging Face cache at ${cacheDir}` };
  const inCache = (p: string) => p.startsWith(cacheReal.endsWith(sep) ? cacheReal : cacheReal + sep);
  const [org, name] = modelId.split('/') as [string, string];
  const repo = join(cacheDir, `models--${org}--${name}`);

  const revision = revisionOf(repo, inCache);
  if (revision === undefined) return missing;
  if ('reason' in revision) return { reason: `${revision.reason} for ${modelId} in ${where}` };
  const path = join(repo, 'snapshots', revision.commit, 'config.json');
  const real = realPath(path);
  if (real === undefined) return missing;
  if (!inCache(real)) return { reason: `the config.json of ${modelId} in ${where} links outside the cache, so it is not read` };
  let text: string;
  try {
    const st = statSync(real);
    if (!st.isFile()) return missing;
    if (st.size > MAX_BYTES) return { reason: `the config.json of ${modelId} in ${where} is larger than 1 MB, so it is not read` };
    text = readFileSync(real, 'utf8');
  } catch {
    return missing;
  }
  let config: unknown;
  try {
    config = JSON.parse(text);
  } catch {
    return { reason: `the config.json of ${modelId} in ${where} is not valid JSON` };
  }
  if (typeof config !== 'object' || config === null || Array.isArray(config)) return { reason: `the config.json of ${modelId} in ${where} is not a JSON object` };
  return { config: config as Record<string, unknown>, path };
}

/**
 * The snapshot to read: the commit in refs/main, or the only snapshot when there is no refs/main
 * (caches copied without refs). Undefined when the model is not in the cache at all.
 */
function revisionOf(repo: string, inCache: (real: string) => boolean): { commit: string } | { reason: string } | undefined {
  const ref = join(repo, 'refs', 'main');
  const refReal = realPath(ref);
  if (refReal !== undefined) {
    if (!inCache(refReal)) return { reason: 'refs/main links outside the cache' };
    let commit: string;
    try {
      commit = readFileSync(refReal, 'utf8').trim();
    } catch {
      return undefined;
    }
    // The commit names a folder: anything but a hash could step out of snapshots/.
    return COMMIT.test(commit) ? { commit } : { reason: 'refs/main does not hold a commit hash' };
  }
  let snapshots: string[];
  try {
    snapshots = readdirSync(join(repo, 'snapshots')).filter((n) => !n.startsWith('.'));
  } catch {
    return undefined;
  }
  if (snapshots.length === 1) return { commit: snapshots[0]! };
  return snapshots.length === 0 ? undefined : { reason: `no refs/main and ${snapshots.length} snapshots to choose from` };
}

function realPath(p: string): string | undefined {
  try {
    return realpathSync(p);
  } catch {
    return undefined;
  }
}
