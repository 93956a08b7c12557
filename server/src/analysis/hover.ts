// What a hover shows, as Markdown, independent of LSP: on a value that a plan reads (a degree, a
// batch size, a node count, the recipe call), the job's layout, where each hovered value comes
// from, and the memory each GPU needs (a table per pipeline stage, the capacity, the band); unknown
// values say why.
import type { Position, Range } from '../parse/positions';
import { FIELD_GROUPS, type Field, type Plan } from '../plan/plan';
import type { Analysis } from './analyze';
import { memoryMarkdown } from '../memory/format';

// The groups a hover looks in for the hovered value.
const GROUPS = FIELD_GROUPS.filter(([name]) => ['world', 'parallelism', 'batch', 'model', 'optimizer', 'recompute', 'peft'].includes(name));

function contains(r: Range | null | undefined, pos: Position): boolean {
  if (!r) return false;
  const afterStart = pos.line > r.start.line || (pos.line === r.start.line && pos.character >= r.start.character);
  const beforeEnd = pos.line < r.end.line || (pos.line === r.end.line && pos.character <= r.end.character);
  return afterStart && beforeEnd;
}

function show(f: Field<unknown>): string {
  if (f.unknown !== undefined) return '?';
  if (f.value === null) return 'None';
  if (typeof f.value === 'boolean') return f.value ? 'True' : 'False';
  if (Array.isArray(f.value)) return `[${f.value.join(', ')}]`;
  return String(f.value);
}

export function layoutLine(p: Plan): string {
  const w = p.world;
  const q = p.parallelism;
  return `W = ${show(w.nodes)} node(s) x ${show(w.gpusPerNode)} GPUs = ${show(w.size)} = TP ${show(q.tp)} x PP ${show(q.pp)} x CP ${show(q.cp)} x DP ${show(q.dp)}` + (q.vp.value ? `, VP ${show(q.vp)}` : '') + (q.ep.value && q.ep.value > 1 ? `, EP ${show(q.ep)}, ETP ${q.etp.value === null && q.etp.unknown === undefined ? 'TP' : show(q.etp)}` : '');
}

/** "recipes of Megatron-Bridge 0.3.1 to 0.5 (era C), assumed from Megatron-Bridge 0.4.0 (uv.lock line 12)". */
export function bridgeLine(b: NonNullable<Plan['bridge']>): string {
  return `recipes of Megatron-Bridge ${b.versions} (era ${b.era}), assumed from ${b.assumed}`;
}

export function hoverAt(analysis: Analysis, pos: Position): { markdown: string; range: Range } | null {
  for (const plan of analysis.plans) {
    const hits: { path: string; field: Field<unknown>; range: Range }[] = [];
    for (const [group, get] of GROUPS) {
      const fields = get(plan);
      if (!fields) continue;
      for (const [name, f] of Object.entries(fields)) {
        const field = f as Field<unknown>;
        const prov = field.prov;
        // Values written in the file: literals, command-line and environment defaults, and
        // computations assigned here (not values derived by the plan itself).
        if (!prov || prov.source === 'recipe-default' || prov.source === 'class-default' || (prov.source === 'derived' && !prov.assignedAt)) continue;
        // The assignment that stored it, or the literal (or default) that wrote it.
        const at = [prov.assignedAt, prov.range].find((r) => contains(r, pos));
        if (at) hits.push({ path: `${group}.${name}`, field, range: at });
      }
    }
    const onJob = contains(plan.range, pos) && hits.length === 0;
    if (!onJob && hits.length === 0) continue;
    // One line each: Markdown joins lines unless they end in two spaces.
    const header = [layoutLine(plan)];
    if (plan.executorWorld) header.push(`executor ${plan.executor}: ${show(plan.executorWorld.nodes)} x ${show(plan.executorWorld.gpusPerNode)} = ${show(plan.executorWorld.size)}`);
    header.push(`batch: global ${show(plan.batch.global)}, micro ${show(plan.batch.micro)}, sequence ${show(plan.batch.seqLength)}`);
    if (plan.bridge) header.push(bridgeLine(plan.bridge));
    const lines = [`**${plan.origin}**${plan.launchedBy && plan.launchedBy !== plan.origin ? `, launched by ${plan.launchedBy}` : ''}`, '', header.join('  \n')];
    if (hits.length) {
      lines.push('');
      for (const h of hits) lines.push(`- \`${h.path}\` = ${show(h.field)}: ${h.field.unknown ?? (h.field.prov?.source === 'literal' ? 'written here' : h.field.prov?.detail)}`);
    }
    const memory = analysis.memory[analysis.plans.indexOf(plan)];
    if (memory) lines.push('', ...memoryMarkdown(memory));
    // Values unknown for the same reason (the world's three numbers, say) share one line.
    const byReason = new Map<string, string[]>();
    for (const [group, get] of GROUPS.slice(0, 3)) {
      for (const [name, f] of Object.entries(get(plan) ?? {})) {
        const reason = (f as Field<unknown>).unknown;
        if (reason !== undefined) byReason.set(reason, [...(byReason.get(reason) ?? []), `\`${group}.${name}\``]);
      }
    }
    const unknown = [...byReason].map(([reason, names]) => `- ${names.join(', ')}: ${reason}`);
    if (unknown.length) lines.push('', 'Unknown:', ...unknown.slice(0, 6));
    return { markdown: lines.join('\n'), range: hits[0]?.range ?? plan.range };
  }
  return null;
}
