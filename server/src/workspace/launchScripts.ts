// The shell scripts, Slurm batch files, READMEs and Makefiles of a workspace that launch a given
// Python script, so its world size can come from the command that runs it. The walk is breadth-first
// (launch scripts sit near the root), synchronous and bounded in files and bytes; symlinked and
// hidden folders are not entered, and unreadable entries are passed over.
import { readdirSync, readFileSync, statSync, type Dirent } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { commandNamesScript, parseLaunchCommands, type LaunchCommand } from '../launch/commands';

export interface LaunchSite {
  file: string;
  command: LaunchCommand;
}

export interface FindLaunchOptions {
  /** Files looked at, over all roots, before the walk stops; bounds the walk in a large tree. */
  maxFiles?: number;
  /** Larger files are passed over. */
  maxBytes?: number;
}

const LAUNCH_FILE = /\.(sh|bash|sbatch|slurm|md)$/i;
const SKIPPED_DIRS = new Set(['node_modules', '__pycache__', 'site-packages', 'venv']);

export function findLaunches(scriptPath: string, roots: readonly string[], options: FindLaunchOptions = {}): LaunchSite[] {
  const maxFiles = options.maxFiles ?? 2000;
  const maxBytes = options.maxBytes ?? 1024 * 1024;
  const target = resolve(scriptPath);
  const resolvedRoots = roots.map((r) => resolve(r));
  const found: LaunchSite[] = [];
  const seen = new Set<string>();
  let visited = 0;
  for (const root of resolvedRoots) {
    const queue = [root];
    for (let q = 0; q < queue.length && visited < maxFiles; q++) {
      const dir = queue[q]!;
      // Nested or repeated roots are walked once.
      if (seen.has(dir)) continue;
      seen.add(dir);
      for (const entry of entries(dir)) {
        const full = join(dir, entry.name);
        if (entry.isDirectory()) {
          if (!entry.name.startsWith('.') && !SKIPPED_DIRS.has(entry.name)) queue.push(full);
          continue;
        }
        if (visited >= maxFiles) break;
        visited++;
        if (!isLaunchFile(entry.name)) continue;
        const text = readSmall(full, maxBytes);
        if (text === undefined) continue;
        for (const command of parseLaunchCommands(text)) {
          if (commandNamesScript(command, target, dirname(full)) || resolvedRoots.some((r) => commandNamesScript(command, target, r))) found.push({ file: full, command });
        }
      }
    }
  }
  return found;
}

function isLaunchFile(name: string): boolean {
  return name === 'Makefile' || LAUNCH_FILE.test(name);
}

/** A folder's entries by name; a symlink is never a directory here, so symlinked folders are not entered. */
function entries(dir: string): Dirent[] {
  try {
    return readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  } catch {
    return [];
  }
}

function readSmall(file: string, maxBytes: number): string | undefined {
  try {
    const st = statSync(file);
    return st.isFile() && st.size <= maxBytes ? readFileSync(file, 'utf8') : undefined;
  } catch {
    return undefined;
  }
}
