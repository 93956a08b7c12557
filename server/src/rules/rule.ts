// What a rule is: metadata and documentation (the single source of docs/rules/), and a check on a
// layout that returns the violation with the numbers its message needs. Messages, locations and
// fixes are built from the violation by rules/diagnose.ts.
import type { Layout, LayoutKey } from './layout';

export type Severity = 'error' | 'warning' | 'information' | 'hint';

/** When the stack would fail: while configuring, while building the model, or at the first step. */
export type Stage = 'init' | 'build' | 'runtime' | 'launch' | 'silent';

export interface RuleSettings {
  /** The Megatron-Core version assumed, as [major, minor]. The newest by default. */
  megatronCore: [number, number];
  /** GPUs per node of the cluster the job runs on, when the user configured it. */
  clusterGpusPerNode?: number;
}

export const DEFAULT_RULE_SETTINGS: RuleSettings = { megatronCore: [0, 20] };

export function atLeast(s: RuleSettings, major: number, minor: number): boolean {
  const [a, b] = s.megatronCore;
  return a > major || (a === major && b >= minor);
}

export interface Violation {
  /** The sentence that says what is wrong, with the values involved. */
  message: string;
  /** The fields involved, the first the one to point at when it is the user's own value. */
  fields: readonly LayoutKey[];
  /** Fields whose values a fix may change, in the order fixes are offered. */
  fixable: readonly LayoutKey[];
  /** Overrides the rule's severity (a NeMo entry point that downgrades an error to a warning). */
  severity?: Severity;
  /** The executor's lines are involved too (shown as related information). */
  relatesToExecutor?: boolean;
}

/** A rule's identity and documentation; every diagnostic code has one (docs/rules/ is built from these). */
export interface RuleDoc {
  code: string;
  /** Kebab-case; reads well after "allow", as ruff's rule names do. */
  name: string;
  severity: Severity;
  stage: Stage;
  /** One line, shown in hovers and the rule table. */
  summary: string;
  docs: {
    what: string;
    why: string;
    example: string;
    fix: string;
    /** Where the stack checks it, and how versions differ. */
    references: string;
  };
}

/** A rule on a plan's layout. */
export interface Rule extends RuleDoc {
  check(layout: Layout, settings: RuleSettings): Violation | undefined;
}
