// Megatron-Bridge's override idioms whose values the file shows: Hydra-style dotlists
// (`parse_hydra_overrides(merged, ["model.tensor_model_parallel_size=4"])`,
// `OmegaConf.from_dotlist([...])`) and OmegaConf trees built from dicts (`OmegaConf.create({...})`),
// merged with `OmegaConf.merge` and written back with `apply_overrides(cfg, ...)`. The merged
// configuration is modelled as the list of (dotted path, value) pairs to write; anything that is
// not visible (a YAML file, `sys.argv`) makes the list unknown, and `apply_overrides` then makes
// the config opaque, as any unmodelled call would.
import type { Range } from '../../parse/positions';
import { bool, float, int, none, str, unknown, type CallArgs, type CallContext, type NativeCall, type ObjectValue, type Provenance, type Value } from '../values';
import { own } from '../../catalog/own';

/** The class of the modelled OmegaConf DictConfig: the pending writes, and the config they came from. */
export const OVERRIDES = 'OmegaConf DictConfig';

/** One pending write. */
interface Write {
  path: string;
  value: Value;
}

/**
 * A Hydra override value as Hydra's grammar reads it: integers, floats, true/false, null, quoted
 * strings; anything else is a plain string. Its provenance points at the value inside the string
 * literal when that literal is one plain line, so a quick fix rewrites just the number.
 */
function overrideValue(text: string, prov: Provenance): Value {
  if (/^[+-]?\d+$/.test(text)) return int(Number(text), prov);
  if (/^[+-]?(\d+\.\d*|\.\d+)(e[+-]?\d+)?$/i.test(text)) return float(Number(text), prov);
  if (/^true$/i.test(text)) return bool(true, prov);
  if (/^false$/i.test(text)) return bool(false, prov);
  if (/^null$/i.test(text)) return none(prov);
  const quoted = /^(["'])(.*)\1$/.exec(text);
  return str(quoted ? quoted[2]! : text, prov);
}

/** "model.tensor_model_parallel_size=4" (also "+key=value"); undefined for deletions and other forms. */
function parseDotlistItem(item: Value): Write | { reason: string } {
  if (item.kind !== 'str') return { reason: item.kind === 'unknown' ? item.reason : 'an override that is not a string' };
  const m = /^\+{0,2}([A-Za-z_][\w.]*)=(.*)$/s.exec(item.value);
  if (!m) return { reason: `the override "${item.value}" is not a key=value pair Recipe Lens reads` };
  const [, path, raw] = m as unknown as [string, string, string];
  const r = item.prov.range;
  // The value's own range inside a one-line literal: `"model.x=4"` -> `4`.
  const valueAt = r && r.start.line === r.end.line && r.end.character - r.start.character === item.value.length + 2
    ? { start: { line: r.start.line, character: r.start.character + 1 + path.length + (item.value.length - path.length - raw.length) }, end: { line: r.end.line, character: r.end.character - 1 } }
    : r;
  const line = r ? ` on line ${r.start.line + 1}` : '';
  return { path, value: overrideValue(raw.trim(), { source: 'literal', range: valueAt, detail: `the override "${item.value}"${line}` }) };
}

/** The writes of each modelled DictConfig (created once, never changed: no State bookkeeping needed). */
const pending = new WeakMap<ObjectValue, Write[]>();

function dictConfig(ctx: CallContext, writes: Write[] | { reason: string }, range: Range): Value {
  if ('reason' in writes) return unknown(writes.reason, range);
  const obj: ObjectValue = { kind: 'object', id: ctx.state.newId(), cls: OVERRIDES, form: 'eager', attrs: new Map(), prov: { source: 'literal', range, detail: 'an OmegaConf configuration' } };
  pending.set(obj, writes);
  return obj;
}

/** The pending writes a value stands for: a modelled DictConfig, a dict tree, or a config object (no writes). */
function writesOf(v: Value | undefined): Write[] | { reason: string } {
  if (!v) return { reason: 'no configuration was passed' };
  if (v.kind === 'object') return pending.get(v) ?? [];
  if (v.kind === 'dict') return flatten(v, '');
  return { reason: v.kind === 'unknown' ? v.reason : 'the configuration is not modelled' };
}

function flatten(d: Extract<Value, { kind: 'dict' }>, prefix: string): Write[] | { reason: string } {
  if (d.unlisted) return { reason: d.unlisted.reason };
  const out: Write[] = [];
  for (const [k, v] of d.entries) {
    if (v.kind === 'dict') {
      const inner = flatten(v, `${prefix}${k}.`);
      if ('reason' in inner) return inner;
      out.push(...inner);
    } else out.push({ path: `${prefix}${k}`, value: v });
  }
  return out;
}

function combine(parts: (Write[] | { reason: string })[]): Write[] | { reason: string } {
  const out: Write[] = [];
  for (const p of parts) {
    if ('reason' in p) return p;
    out.push(...p);
  }
  return out;
}

function dotlist(list: Value | undefined): Write[] | { reason: string } {
  if (!list || (list.kind !== 'list' && list.kind !== 'tuple')) return { reason: list?.kind === 'unknown' ? `the overrides are not known (${list.reason})` : 'the overrides are not a list' };
  if (!Array.isArray(list.items)) return { reason: `the overrides are not known (${list.items.reason})` };
  return combine(list.items.map((i) => {
    const w = parseDotlistItem(i);
    return 'reason' in w ? w : [w];
  }));
}

/** `create_omegaconf_dict_config(cfg)` returns the DictConfig and the fields it left out. */
const createDictConfig: NativeCall = (ctx, call) => ({ kind: 'tuple', id: ctx.state.newId(), items: [dictConfig(ctx, [], call.range), unknown('the fields left out of the OmegaConf view', call.range)], prov: { source: 'literal', range: call.range, detail: 'create_omegaconf_dict_config()' } });

const parseHydra: NativeCall = (ctx, call) => dictConfig(ctx, combine([writesOf(call.args[0]), dotlist(call.args[1] ?? call.kwargs.get('hydra_overrides'))]), call.range);

const fromDotlist: NativeCall = (ctx, call) => dictConfig(ctx, dotlist(call.args[0]), call.range);

const create: NativeCall = (ctx, call) => dictConfig(ctx, call.args.length ? writesOf(call.args[0]) : [], call.range);

const merge: NativeCall = (ctx, call) => dictConfig(ctx, combine(call.args.map(writesOf)), call.range);

const toContainer: NativeCall = (ctx, call) => dictConfig(ctx, writesOf(call.args[0] ?? call.kwargs.get('cfg')), call.range);

const load: NativeCall = (_ctx, call) => unknown('the YAML file is not read (only overrides written in the file are)', call.range);

/** `apply_overrides(cfg, overrides, excluded)`: each write, at the call. */
const applyOverrides: NativeCall = (ctx, call) => {
  const [target, overrides] = call.args;
  const writes = writesOf(overrides ?? call.kwargs.get('config_dict'));
  if (!target || 'reason' in writes) return ctx.opaqueCall('apply_overrides', call);
  for (const w of writes) assign(ctx, target, w, call);
  return none({ source: 'literal', range: call.range, detail: 'apply_overrides() returns None' });
};

function assign(ctx: CallContext, target: Value, w: Write, call: CallArgs): void {
  const parts = w.path.split('.');
  let obj = target;
  for (const p of parts.slice(0, -1)) obj = ctx.getAttr(obj, p, call.range);
  // No assignedAt: the line to change is the override's own, not the apply_overrides call.
  if (obj.kind === 'object') ctx.state.write({ kind: 'attr', obj, name: parts.at(-1)! }, w.value);
}

const OMEGACONF_UTILS = /^megatron\.bridge\.training\.utils\.omegaconf_utils\.(\w+)$/;
const FUNCTIONS: Record<string, NativeCall> = {
  apply_overrides: applyOverrides,
  create_omegaconf_dict_config: createDictConfig,
  parse_hydra_overrides: parseHydra,
  'OmegaConf.create': create,
  'OmegaConf.merge': merge,
  'OmegaConf.to_container': toContainer,
  'OmegaConf.to_object': toContainer,
  'OmegaConf.from_dotlist': fromDotlist,
  'OmegaConf.load': load,
};

/** The modelled function a dotted name means, if any. */
export function overrideFunction(path: string): [string, NativeCall] | undefined {
  const utils = OMEGACONF_UTILS.exec(path)?.[1];
  const name = utils ?? (path.startsWith('omegaconf.OmegaConf.') ? path.slice('omegaconf.'.length) : undefined);
  const fn = name ? own(FUNCTIONS, name) : undefined;
  return fn ? [name!, fn] : undefined;
}
