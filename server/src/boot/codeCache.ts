// Running a bundle of our own through V8's code cache, the mechanism Node 22 offers as
// module.enableCompileCache() and that is not in Node 20. Compiling the 1.3 MB server bundle, and
// then each function the first analysis calls, is about a third of the time from starting the
// server to the first diagnostics; with the bytecode V8 made in an earlier session, both are gone.
//
// This is the one module of the server that uses `vm`, and it compiles only the bundle file it is
// given, which ships beside it: never the user's code (test/lsp/noProcess.test.ts checks both).
import { closeSync, fstatSync, mkdirSync, openSync, readFileSync, readSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { createRequire, wrap } from 'node:module';
import { dirname, join } from 'node:path';
import { Script } from 'node:vm';
import type { CodeCacheState } from '../lsp/protocol';


export interface LoadedBundle {
  exports: unknown;
  /** Where the cache lives (undefined when off) and what happened to it. */
  cache: { file: string | undefined; state: CodeCacheState };
  /**
   * Writes the cache when this process compiled the bundle without one, with every function
   * compiled so far. Call it once the code a session needs has run (after the warm-up analysis).
   */
  save(): void;
}

/**
 * The cache's directory: RECIPE_LENS_CODE_CACHE when set (`off` or empty turns the cache off), else
 * the user's cache directory of the platform. The VS Code client sets it to the extension's global
 * storage.
 */
export function codeCacheDir(env: NodeJS.ProcessEnv, platform: NodeJS.Platform, home: string): string | undefined {
  const set = env.RECIPE_LENS_CODE_CACHE;
  if (set !== undefined) return set === '' || set === 'off' ? undefined : set;
  if (platform === 'win32') return env.LOCALAPPDATA ? join(env.LOCALAPPDATA, 'recipe-lens', 'Cache') : undefined;
  if (platform === 'darwin') return home ? join(home, 'Library', 'Caches', 'recipe-lens') : undefined;
  const base = env.XDG_CACHE_HOME || (home ? join(home, '.cache') : '');
  return base ? join(base, 'recipe-lens') : undefined;
}

/**
 * The cache file of a bundle: one per Node version and architecture, so that a new build replaces
 * the old one's cache instead of adding a file. The bundle's build id is in the file's header: V8
 * checks a cache against the source's length only, so an id is what tells two builds apart.
 */
export function codeCacheFile(dir: string, bundleName: string): string {
  return join(dir, `${bundleName}-${process.version}-${process.arch}.bin`);
}

const HEADER_BYTES = 64;

/**
 * Reads the V8 data of a cache file written for `buildId`, or undefined. A file that another user
 * could have written is not read: cached bytecode is code.
 */
function readCache(file: string, buildId: string): Buffer | undefined {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch {
    return undefined;
  }
  try {
    const stat = fstatSync(fd);
    if (process.getuid && (stat.uid !== process.getuid() || (stat.mode & 0o022) !== 0)) return undefined;
    if (stat.size <= HEADER_BYTES) return undefined;
    const data = Buffer.allocUnsafe(stat.size);
    let read = 0;
    while (read < data.length) {
      const n = readSync(fd, data, read, data.length - read, read);
      if (n === 0) return undefined;
      read += n;
    }
    return data.subarray(0, HEADER_BYTES).toString('latin1') === header(buildId) ? data.subarray(HEADER_BYTES) : undefined;
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}

function header(buildId: string): string {
  return `recipe-lens code cache ${buildId}`.padEnd(HEADER_BYTES, ' ').slice(0, HEADER_BYTES);
}

/** Writes the file whole or not at all: a reader never sees half of it, two writers never mix. */
function writeCache(file: string, buildId: string, data: Buffer): void {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const temporary = `${file}.${process.pid}.tmp`;
  try {
    writeFileSync(temporary, Buffer.concat([Buffer.from(header(buildId), 'latin1'), data]), { mode: 0o600 });
    renameSync(temporary, file);
  } catch (e) {
    try {
      unlinkSync(temporary);
    } catch {
      // never written
    }
    throw e;
  }
}

/**
 * Runs the CommonJS bundle `file` as require() would, through the code cache in `cacheDir` (none
 * when undefined), and returns its exports. A cache that is missing, from another build, or that
 * V8 rejects (another V8, other flags) only costs the compilation it would have saved.
 */
export function loadBundle(file: string, buildId: string, cacheDir: string | undefined): LoadedBundle {
  // Latin-1, which reads a byte as a character: the bundles are ASCII (scripts/build.mjs), and
  // this is twice as fast as decoding UTF-8.
  const source = readFileSync(file, 'latin1');
  const cacheFile = cacheDir === undefined ? undefined : codeCacheFile(cacheDir, 'server');
  const cachedData = cacheFile === undefined ? undefined : readCache(cacheFile, buildId);
  const script = new Script(wrap(source), { filename: file, cachedData });
  const cache: LoadedBundle['cache'] = { file: cacheFile, state: cacheFile === undefined ? 'off' : !cachedData ? 'none' : script.cachedDataRejected ? 'rejected' : 'used' };
  const module = { exports: {} as unknown, filename: file, id: file, loaded: false };
  const run = script.runInThisContext() as (exports: unknown, require: NodeJS.Require, module: unknown, filename: string, dirname: string) => void;
  run.call(module.exports, module.exports, createRequire(file), module, file, dirname(file));
  module.loaded = true;
  return {
    exports: module.exports,
    cache,
    save() {
      if (cacheFile === undefined || (cache.state !== 'none' && cache.state !== 'rejected')) return;
      try {
        writeCache(cacheFile, buildId, script.createCachedData());
        cache.state = 'written';
      } catch {
        // A read-only or full disk: the next start compiles, as it did before there was a cache.
        cache.state = 'unwritable';
      }
    },
  };
}
