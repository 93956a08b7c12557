// Collecting the Python files named on the command line: files as given, folders walked
// recursively, skipping hidden folders, virtual environments and caches. A path that does not
// exist is a mistake on the command line (exit 2); one that exists but cannot be read leaves the
// check incomplete (exit 1), and the others are still checked.
import { lstatSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const SKIPPED_DIRS = new Set(['node_modules', '__pycache__', 'venv', 'site-packages']);

export interface Unreadable {
  path: string;
  /** Why: the error's code (`EACCES`), or `broken symbolic link`. */
  reason: string;
}

export interface FileList {
  files: string[];
  missing: string[];
  unreadable: Unreadable[];
}

/** The code of a file-system error (`EACCES`), else its message. */
export function errorCode(e: unknown): string {
  return (e as NodeJS.ErrnoException).code ?? (e as Error).message;
}

function isSymbolicLink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}

export function collectPythonFiles(paths: readonly string[]): FileList {
  const files: string[] = [];
  const missing: string[] = [];
  const unreadable: Unreadable[] = [];
  const walk = (dir: string) => {
    let entries: string[];
    try {
      entries = readdirSync(dir).sort();
    } catch (e) {
      unreadable.push({ path: dir, reason: errorCode(e) });
      return;
    }
    for (const name of entries) {
      const full = join(dir, name);
      let isDir = false;
      try {
        isDir = statSync(full).isDirectory();
      } catch (e) {
        // Broken links inside folders are skipped: editors leave them as lock files (`.#x.py`).
        if (errorCode(e) !== 'ENOENT' && name.endsWith('.py')) unreadable.push({ path: full, reason: errorCode(e) });
        continue;
      }
      if (isDir) {
        if (!name.startsWith('.') && !SKIPPED_DIRS.has(name)) walk(full);
      } else if (name.endsWith('.py')) files.push(full);
    }
  };
  for (const p of paths) {
    let isDir: boolean;
    try {
      isDir = statSync(p).isDirectory();
    } catch (e) {
      if (errorCode(e) !== 'ENOENT') unreadable.push({ path: p, reason: errorCode(e) });
      else if (isSymbolicLink(p)) unreadable.push({ path: p, reason: 'broken symbolic link' });
      else missing.push(p);
      continue;
    }
    if (isDir) walk(p);
    else files.push(p);
  }
  return { files, missing, unreadable };
}
