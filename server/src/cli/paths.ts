// How the machine-read reports (SARIF, GitHub annotations) name a file: relative to the current
// directory with forward slashes, which is how code-scanning services and the Actions runner
// match a report to the repository when `check` runs at its root.
import { isAbsolute, relative, resolve, sep } from 'node:path';

/** `path` relative to `cwd` with forward slashes, or undefined when it lies outside `cwd`. */
export function pathBelow(path: string, cwd: string): string | undefined {
  const rel = relative(cwd, resolve(cwd, path));
  // On Windows a path on another drive stays absolute.
  if (rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) return undefined;
  return rel.split(sep).join('/');
}

/** The name a report gives a file: below `cwd`, relative; elsewhere, absolute (forward slashes). */
export function reportPath(path: string, cwd: string): string {
  return pathBelow(path, cwd) ?? resolve(cwd, path).split(sep).join('/');
}
