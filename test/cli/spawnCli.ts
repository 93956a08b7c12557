// Running the built CLI (bin/recipe-lens.js) as a user or a CI job does, for the test/cli suites:
// in a chosen directory, with an environment free of the caller's colour settings, and in
// throw-away project folders for the pyproject.toml cases.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export const ROOT = join(__dirname, '..', '..');
export const BIN = join(ROOT, 'bin', 'recipe-lens.js');
export const BROKEN_WORLD = join(ROOT, 'examples', 'llama3_70b_sft_broken_world.py');

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  cwd?: string;
  /** Added to the environment, which never carries the caller's FORCE_COLOR or NO_COLOR. */
  env?: Record<string, string>;
}

export function cliIn(options: CliOptions, ...args: string[]): CliRun {
  const env: NodeJS.ProcessEnv = { ...process.env, ...options.env };
  for (const name of ['FORCE_COLOR', 'NO_COLOR']) if (!options.env || !(name in options.env)) delete env[name];
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: options.cwd ?? ROOT, env, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Runs at the repository's root, where the examples are. */
export function cli(...args: string[]): CliRun {
  return cliIn({}, ...args);
}

const created: string[] = [];

/** Deletes the folders tempProject made (a suite's `after`). */
export function removeTempProjects(): void {
  for (const dir of created.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/**
 * A fresh folder holding `files` (relative path to contents; `null` copies the broken-world
 * example there), with a `.git` folder so that the search for pyproject.toml stops in it.
 */
export function tempProject(files: Record<string, string | null>): string {
  const dir = mkdtempSync(join(tmpdir(), 'recipe-lens-cli-'));
  created.push(dir);
  mkdirSync(join(dir, '.git'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    if (text === null) copyFileSync(BROKEN_WORLD, join(dir, path));
    else writeFileSync(join(dir, path), text);
  }
  return dir;
}
