// Turning a field change into text edits, from the provenance of the value it replaces:
// - a literal, an argparse default or an environment default: rewrite that literal;
// - a recipe default: pass the factory's own argument when it has one (num_nodes=4), else add an
//   override line after the statement that creates the recipe, in the file's indentation;
// - a class default: add the keyword argument to the call that builds the object.
// Values that are computed, or whose source is not in the file, get no edit.
import { lineIndexOf, type LineIndex, type Position, type Range } from '../parse/positions';
import type { Plan } from '../plan/plan';
import { recipeEntry } from '../evaluate/nemo/recipes';
import type { FieldChange } from '../rules/diagnose';
import type { TextEdit } from '../rules/diagnostic';
import { bridgePath, FIELDS } from '../rules/fields';
import { own } from '../catalog/own';

/** Factory parameters that set a field directly (the inverse of the factories' argument mapping). */
const FACTORY_PARAMETERS: Partial<Record<string, string[]>> = {
  nodes: ['num_nodes'],
  gpusPerNode: ['num_gpus_per_node'],
  tp: ['tensor_parallelism', 'tensor_parallel_size'],
  pp: ['pipeline_parallelism'],
  vp: ['virtual_pipeline_parallelism'],
  cp: ['context_parallelism', 'context_parallel_size'],
  sp: ['sequence_parallelism'],
  ep: ['expert_parallelism'],
  etp: ['expert_tensor_parallelism'],
  gbs: ['global_batch_size'],
  mbs: ['micro_batch_size'],
};

function python(value: number | boolean | string | null, like?: string): string {
  if (value === null) return 'None';
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  const quote = like && /^["']/.test(like) ? like[0] : typeof value === 'string' ? '"' : undefined;
  return quote ? `${quote}${value}${quote}` : String(value);
}

export function editsFor(change: FieldChange, plan: Plan, text: string): TextEdit[] | undefined {
  const info = FIELDS[change.key];
  const prov = info.read(plan).prov;
  if (!prov?.range) return undefined;
  // A Megatron-Bridge job's world is its launcher's (a directive only states it): not a fix.
  if (plan.framework === 'megatron-bridge' && bridgePath(change.key, plan) === undefined) return undefined;
  const lines = lineIndexOf(text);
  const slice = (r: Range) => text.slice(lines.offsetAt(r.start), lines.offsetAt(r.end));
  switch (prov.source) {
    case 'literal':
    case 'argparse-default':
    case 'environment-default': {
      const old = slice(prov.range);
      // Only a plain literal is rewritten; an expression such as `2 * 4` is the user's to change.
      if (!/^(-?[\d_]+|True|False|None|(["'])[\w-]*\2)$/.test(old.trim())) return undefined;
      return [{ range: prov.range, newText: python(change.value, old) }];
    }
    case 'recipe-default':
      return recipeEdit(change, plan, prov.range, text, lines);
    case 'class-default':
      return addKeyword(prov.range, info.python, python(change.value), text, lines);
    default:
      return undefined;
  }
}

function recipeEdit(change: FieldChange, plan: Plan, call: Range, text: string, lines: LineIndex): TextEdit[] | undefined {
  const [module, factory] = plan.origin.replace(/\(\)$/, '').split('.');
  const signature = module && factory ? own(recipeEntry(module)?.functions, factory) : undefined;
  const parameter = (FACTORY_PARAMETERS[change.key] ?? []).find((p) => signature && Object.hasOwn(signature, p));
  if (parameter && slice(text, lines, call).endsWith(')')) return addKeyword(call, parameter, python(change.value), text, lines);
  // An override line after `name = <factory call>`.
  const before = lines.lineText(call.start.line).slice(0, call.start.character);
  const assigned = /^(\s*)([A-Za-z_][\w.]*)\s*=\s*$/.exec(before);
  if (!assigned) return undefined;
  const [, indent, variable] = assigned;
  const path = plan.framework === 'megatron-bridge' ? bridgePath(change.key, plan)! : factory === 'trainer' ? FIELDS[change.key].path.replace(/^trainer\./, '') : FIELDS[change.key].path;
  const end: Position = { line: call.end.line, character: lines.lineText(call.end.line).length };
  return [{ range: { start: end, end }, newText: `\n${indent}${variable}.${path} = ${python(change.value)}` }];
}

function slice(text: string, lines: LineIndex, r: Range): string {
  return text.slice(lines.offsetAt(r.start), lines.offsetAt(r.end));
}

/** Adds `name=value` as the last argument of the call at `call`. */
function addKeyword(call: Range, name: string, value: string, text: string, lines: LineIndex): TextEdit[] | undefined {
  const source = slice(text, lines, call);
  if (!source.endsWith(')')) return undefined;
  const close = lines.offsetAt(call.end) - 1;
  const open = text.lastIndexOf('(', close);
  const inside = text.slice(lines.offsetAt(call.start), close);
  const emptyCall = /\(\s*$/.test(inside) && open >= lines.offsetAt(call.start);
  const trailingComma = /,\s*$/.test(inside);
  const at = lines.positionAt(emptyCall ? close : lastNonSpace(text, close));
  const newText = emptyCall ? `${name}=${value}` : `${trailingComma ? ' ' : ', '}${name}=${value}`;
  return [{ range: { start: at, end: at }, newText }];
}

/** The offset just after the last non-blank character before `end`. */
function lastNonSpace(text: string, end: number): number {
  let i = end;
  while (i > 0 && /\s/.test(text[i - 1]!)) i--;
  return i;
}

/** Applies edits (ranges in the original text) and returns the new text. */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const lines = lineIndexOf(text);
  const sorted = edits.map((e) => ({ from: lines.offsetAt(e.range.start), to: lines.offsetAt(e.range.end), text: e.newText })).sort((a, b) => b.from - a.from);
  let out = text;
  for (const e of sorted) out = out.slice(0, e.from) + e.text + out.slice(e.to);
  return out;
}
