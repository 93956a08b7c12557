// `check --statistics`: how often each rule fired, instead of every diagnostic, to see what a
// code base mostly gets wrong.
import type { Diagnostic } from '../rules/diagnostic';
import { PLAIN, type Palette } from './colour';

export interface RuleCount {
  code: string;
  name: string;
  count: number;
  /** At least one of its diagnostics offers a fix. */
  fixable: boolean;
}

/** Counts per rule, the most frequent first, then by code. */
export function ruleCounts(diagnostics: readonly Diagnostic[]): RuleCount[] {
  const byCode = new Map<string, RuleCount>();
  for (const d of diagnostics) {
    const c = byCode.get(d.code) ?? { code: d.code, name: d.name, count: 0, fixable: false };
    c.count++;
    c.fixable ||= d.fixes.length > 0;
    byCode.set(d.code, c);
  }
  return [...byCode.values()].sort((a, b) => b.count - a.count || a.code.localeCompare(b.code));
}

/** `   3  RL101  world-size-not-divisible  [*]`: `[*]` when at least one has a fix. */
export function statisticsTable(counts: readonly RuleCount[], paint: Palette = PLAIN): string[] {
  const countWidth = Math.max(4, ...counts.map((c) => String(c.count).length));
  const nameWidth = Math.max(0, ...counts.map((c) => c.name.length));
  return counts.map((c) => `${String(c.count).padStart(countWidth)}  ${paint.code(c.code)}  ${c.fixable ? `${c.name.padEnd(nameWidth)}  [*]` : c.name}`);
}
