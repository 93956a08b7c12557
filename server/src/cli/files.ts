// Collecting the Python files named on the command line: files as given, folders walked
// recursively, skipping hidden folders, virtual environments and caches.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const SKIPPED_DIRS = new Set(['node_modules', '__pycache__', 'venv', 'site-packages']);

export interface FileList {
  files: string[];
  missing: string[];
}

export function collectPythonFiles(paths: readonly string[]): FileList {
  const files: string[] = [];
  const missing: string[] = [];
  const walk = (dir: string) => {
    let entries: string[];
    try {
      entries = readdirSync(dir).sort();
    } catch {
      missing.push(dir);
      return;
    }
    for (const name of entries) {
      const full = join(dir, name);
      let isDir = false;
      try {
        isDir = statSync(full).isDirectory();
      } catch {
        continue;
      }
      if (isDir) {
        if (!name.startsWith('.') && !SKIPPED_DIRS.has(name)) walk(full);
      } else if (name.endsWith('.py')) files.push(full);
    }
  };
  for (const p of paths) {
    try {
      if (statSync(p).isDirectory()) walk(p);
      else files.push(p);
    } catch {
      missing.push(p);
    }
  }
  return { files, missing };
}
