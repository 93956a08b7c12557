// The quick fix of RL501 for a Megatron-Bridge recipe called with arguments it no longer takes:
// the call without them, and one assignment per argument on the returned config after the
// statement (`cfg = f(tensor_model_parallel_size=2)` -> `cfg = f()` and
// `cfg.model.tensor_model_parallel_size = 2`). Only for `name = f(...)` statements; the values
// keep the text the user wrote.
import type { CallRewrite } from '../evaluate/values';
import { lineIndexOf, type Position, type Range } from '../parse/positions';
import type { Fix, TextEdit } from '../rules/diagnostic';

export function callRewriteFix(rewrite: CallRewrite, text: string): Fix | undefined {
  const lines = lineIndexOf(text);
  const slice = (r: Range) => text.slice(lines.offsetAt(r.start), lines.offsetAt(r.end));
  const before = lines.lineText(rewrite.call.start.line).slice(0, rewrite.call.start.character);
  const assigned = /^(\s*)([A-Za-z_][\w.]*)\s*=\s*$/.exec(before);
  const callText = slice(rewrite.call);
  const open = callText.indexOf('(');
  if (!assigned || open < 0 || !callText.endsWith(')')) return undefined;
  const [, indent, variable] = assigned as unknown as [string, string, string];
  const assignments: string[] = [];
  for (const a of rewrite.assignments) {
    const keyword = slice(a.value);
    const eq = keyword.indexOf('=');
    if (eq < 0) return undefined;
    const value = keyword.slice(eq + 1).trim();
    // A value written over several lines is the user's to move.
    if (!value || value.includes('\n')) return undefined;
    for (const path of a.paths) assignments.push(`${indent}${variable}.${path} = ${value}`);
  }
  const argsStart = lines.positionAt(lines.offsetAt(rewrite.call.start) + open);
  const end: Position = { line: rewrite.call.end.line, character: lines.lineText(rewrite.call.end.line).length };
  const edits: TextEdit[] = [
    { range: { start: argsStart, end: rewrite.call.end }, newText: '()' },
    { range: { start: end, end }, newText: assignments.map((a) => `\n${a}`).join('') },
  ];
  const moved = rewrite.assignments.length === 1 ? 'the argument' : 'the arguments';
  return { title: `Set ${moved} on the returned config: ${assignments.map((a) => a.trim()).join('; ')}`, edits, preferred: true };
}
