// ANSI colour for the text report, with plain escapes rather than a dependency. On when stdout is
// a terminal and NO_COLOR (https://no-color.org) is unset or empty; FORCE_COLOR turns it on
// whatever stdout is (CI logs render the escapes) and wins over NO_COLOR, as Node's own tty
// module reads it; FORCE_COLOR=0 or false turns it off.
import type { Severity } from '../rules/rule';

export function colourWanted(env: NodeJS.ProcessEnv, stdoutIsTerminal: boolean): boolean {
  const force = env['FORCE_COLOR'];
  if (force !== undefined) return force !== '0' && force !== 'false';
  if (env['NO_COLOR']) return false;
  return stdoutIsTerminal;
}

/** How each part of a report line is shown. */
export interface Palette {
  path(s: string): string;
  code(s: string): string;
  severity(severity: Severity, s: string): string;
}

export const PLAIN: Palette = { path: (s) => s, code: (s) => s, severity: (_, s) => s };

const sgr = (parameters: string) => (s: string) => `\x1b[${parameters}m${s}\x1b[0m`;
const SEVERITY_COLOURS: Record<Severity, (s: string) => string> = { error: sgr('1;31'), warning: sgr('1;33'), information: sgr('1;34'), hint: sgr('1;34') };

/** The path in cyan, the code in bold, errors red, warnings yellow, the rest blue. */
export const ANSI: Palette = { path: sgr('36'), code: sgr('1'), severity: (severity, s) => SEVERITY_COLOURS[severity](s) };
