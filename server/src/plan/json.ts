// The plan as JSON: the stable contract of `recipe-lens check --format json` (docs/cli.md).
// Each field becomes its value (null when unknown or None); provenance and unknowns are listed
// beside, keyed by the field's dotted path.
import type { Range } from '../parse/positions';
import type { Provenance } from '../evaluate/values';
import type { Field, Plan } from './plan';
import { docsUrl, type Diagnostic } from '../rules/diagnostic';
import { memoryJson, type MemoryJson } from '../memory/format';
import type { PlanMemory } from '../memory/fromPlan';

export function diagnosticToJson(d: Diagnostic) {
  return {
    code: d.code,
    name: d.name,
    severity: d.severity,
    message: d.message,
    range: d.range,
    docs: docsUrl(d.name),
    related: d.related,
    fixes: d.fixes.map((f) => ({ title: f.title, preferred: f.preferred, edits: f.edits })),
  };
}

export interface ProvenanceJson {
  range: Range | null;
  source: Provenance['source'];
  detail: string;
  assignedAt?: Range;
}

export interface PlanJson {
  range: Range;
  framework: Plan['framework'];
  entryPoint: Plan['entryPoint'];
  origin: string;
  launchedBy: string | null;
  executor: string | null;
  world: Record<string, unknown>;
  executorWorld: Record<string, unknown> | null;
  parallelism: Record<string, unknown>;
  batch: Record<string, unknown>;
  model: Record<string, unknown>;
  precision: unknown;
  fp8: Record<string, unknown>;
  attentionBackend: unknown;
  optimizer: Record<string, unknown>;
  recompute: Record<string, unknown>;
  peft: Record<string, unknown> | null;
  transformerImpl: 'transformer_engine';
  memory: MemoryJson | null;
  provenance: Record<string, ProvenanceJson>;
  unknown: { field: string; reason: string }[];
}

function isField(x: unknown): x is Field<unknown> {
  return typeof x === 'object' && x !== null && 'value' in x && 'prov' in x;
}

export function provenanceJson(p: Provenance): ProvenanceJson {
  return { range: p.range, source: p.source, detail: p.detail, ...(p.assignedAt ? { assignedAt: p.assignedAt } : {}) };
}

export function planToJson(plan: Plan, memory?: PlanMemory): PlanJson {
  const provenance: Record<string, ProvenanceJson> = {};
  const unknown: { field: string; reason: string }[] = [];
  const group = (prefix: string, fields: object | null): Record<string, unknown> | null => {
    if (fields === null) return null;
    const out: Record<string, unknown> = {};
    for (const [name, f] of Object.entries(fields)) {
      if (!isField(f)) continue;
      out[name] = f.value;
      const path = prefix ? `${prefix}.${name}` : name;
      if (f.unknown !== undefined) unknown.push({ field: path, reason: f.unknown });
      else if (f.prov) provenance[path] = provenanceJson(f.prov);
    }
    return out;
  };
  const top = group('', { precision: plan.precision, attentionBackend: plan.attentionBackend })!;
  return {
    range: plan.range,
    framework: plan.framework,
    entryPoint: plan.entryPoint,
    origin: plan.origin,
    launchedBy: plan.launchedBy,
    executor: plan.executor,
    world: group('world', plan.world)!,
    executorWorld: group('executorWorld', plan.executorWorld),
    parallelism: group('parallelism', plan.parallelism)!,
    batch: group('batch', plan.batch)!,
    model: group('model', plan.model)!,
    precision: top['precision'],
    fp8: group('fp8', plan.fp8)!,
    attentionBackend: top['attentionBackend'],
    optimizer: group('optimizer', plan.optimizer)!,
    recompute: group('recompute', plan.recompute)!,
    peft: group('peft', plan.peft),
    transformerImpl: 'transformer_engine',
    memory: memory?.estimate ? memoryJson(memory.estimate) : null,
    provenance,
    unknown: [...unknown, ...(memory && !memory.estimate ? memory.unknown.map((u) => ({ field: 'memory', reason: `${u.field}: ${u.reason}` })) : [])],
  };
}
