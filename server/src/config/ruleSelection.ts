// Which rules a run reports. `--select` and `--ignore`, and the `select` and `ignore` settings,
// name rules by code or by prefix (RL1 names every RL1xx code), as ruff's options do; ignore wins
// over select, and an empty select reports every rule.
import { RULE_DOCS } from '../rules/registry';

const SELECTOR = /^RL\d{0,3}$/;

/** The codes a code or prefix names, in code order; none when it names no rule. */
export function codesNamed(selector: string): string[] {
  return SELECTOR.test(selector) ? RULE_DOCS.map((r) => r.code).filter((c) => c.startsWith(selector)) : [];
}

export interface RuleSelection {
  /** The ignored codes, each spelled out: the analysis leaves them out as the editor does. */
  ignored: string[];
  /** Whether a diagnostic of this code is reported. */
  reports(code: string): boolean;
}

export function selectRules(select: readonly string[], ignore: readonly string[]): RuleSelection {
  const ignored = new Set(ignore.flatMap(codesNamed));
  const selected = select.length ? new Set(select.flatMap(codesNamed)) : undefined;
  return { ignored: [...ignored], reports: (code) => !ignored.has(code) && (selected === undefined || selected.has(code)) };
}
