// `check --format github`: one GitHub Actions workflow command per diagnostic, which the runner
// turns into an annotation on the lines of the pull request
// (https://docs.github.com/actions/reference/workflow-commands-for-github-actions).
import type { Diagnostic } from '../rules/diagnostic';
import type { Severity } from '../rules/rule';

const COMMANDS: Record<Severity, string> = { error: 'error', warning: 'warning', information: 'notice', hint: 'notice' };

/** The runner reads `%`, CR and LF in a message as its own; they travel percent-encoded. */
function escapeMessage(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** In a property value `:` and `,` delimit too. */
function escapeProperty(s: string): string {
  return escapeMessage(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/** `::error file=...,line=...,col=...,endLine=...,endColumn=...,title=RL101 (name)::message`, 1-based, end exclusive. */
export function workflowCommand(path: string, d: Diagnostic): string {
  const { start, end } = d.range;
  const properties: [string, string | number][] = [
    ['file', path],
    ['line', start.line + 1],
    ['col', start.character + 1],
    ['endLine', end.line + 1],
    ['endColumn', end.character + 1],
    ['title', `${d.code} (${d.name})`],
  ];
  return `::${COMMANDS[d.severity]} ${properties.map(([k, v]) => `${k}=${escapeProperty(String(v))}`).join(',')}::${escapeMessage(d.message)}`;
}
