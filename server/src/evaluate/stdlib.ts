// The parts of Python's standard library that launch scripts use to choose their values:
// argparse (defaults become known, "can be overridden on the command line"), os.environ with a
// fallback ("the variable may override it"), functools.partial, and a few harmless helpers.
import type { Range } from '../parse/positions';
import { dictChanged, iterableItems, MAX_RANGE, native, newList, updateDict } from './builtins';
import type { ClassModel } from './library';
import { newObject } from './objects';
import {
  bool,
  describe,
  literal,
  none,
  str,
  unknown,
  withProvenance,
  type CallArgs,
  type DictValue,
  type CallContext,
  type NativeCall,
  type ObjectValue,
  type Provenance,
  type Value,
} from './values';
import { own } from '../catalog/own';

const PARSER = 'argparse.ArgumentParser';
const NAMESPACE = 'argparse.Namespace';
/** Options are stored on the parser object under this prefix, one attribute per destination. */
const OPTION = 'option:';

function line(range: Range): number {
  return range.start.line + 1;
}

// ----- os.environ ----------------------------------------------------------------------------

const environGet: NativeCall = (ctx, call) => {
  const [name, fallback] = call.args;
  const varName = name?.kind === 'str' ? name.value : undefined;
  // Set by the script itself, that is the value; a name not known may be any the script set.
  const written = ctx.environ;
  if (varName !== undefined) {
    const set = environmentSet(written, varName);
    if (set) return set;
  } else if (written.entries.size > 0 || written.unlisted) return unknown('an environment variable the script may have set', call.range);
  const fb = fallback ?? call.kwargs.get('default');
  if (!fb || fb.kind === 'none') {
    return unknown(varName ? `the environment variable ${varName} is read at run time and has no default here` : 'an environment variable read at run time', call.range);
  }
  if (fb.kind === 'unknown') return fb;
  const prov: Provenance = {
    source: 'environment-default',
    range: 'prov' in fb ? fb.prov.range : call.range,
    detail: `the default of the environment variable ${varName ?? '?'} (line ${line(call.range)}); setting the variable overrides it`,
    assignedAt: call.range,
  };
  return withProvenance(fb, prov);
};

/** What the script itself set the variable `name` to: its value, unknown if it may have, or undefined. */
export function environmentSet(environ: DictValue, name: string): Value | undefined {
  return environ.entries.get(name) ?? environ.unlisted;
}

/** `os.environ.setdefault(name, value)`: what `get` gives, kept for later reads. */
const environSetdefault: NativeCall = (ctx, call) => {
  const v = environGet(ctx, call, undefined);
  const name = call.args[0];
  if (name?.kind === 'str') ctx.state.write({ kind: 'entry', dict: ctx.environ, key: name.value }, v);
  else dictChanged(ctx.state, ctx.environ, unknown('an environment variable whose name is not known is set', call.range));
  return v;
};

/** `os.environ.update(...)`: as a dict's update, on the variables the script has set. */
const environUpdate: NativeCall = (ctx, call) => updateDict(ctx.state, ctx.environ, call, 'os.environ.update()');

// ----- argparse ------------------------------------------------------------------------------

function destOf(call: CallArgs): { dest: string; flag: string; positional: boolean } | undefined {
  const names = call.args.filter((a) => a.kind === 'str').map((a) => (a as { value: string }).value);
  const explicit = call.kwargs.get('dest');
  const long = names.find((n) => n.startsWith('--')) ?? names.find((n) => n.startsWith('-'));
  const flag = long ?? names[0];
  if (!flag) return undefined;
  const positional = !flag.startsWith('-');
  const dest = explicit?.kind === 'str' ? explicit.value : flag.replace(/^-+/, '').replace(/-/g, '_');
  return { dest, flag, positional };
}

/** The value an option has when the command line does not mention it. */
function optionDefault(ctx: CallContext, call: CallArgs, flag: string, positional: boolean): Value {
  const action = call.kwargs.get('action');
  const actionName = action?.kind === 'str' ? action.value : undefined;
  const required = call.kwargs.get('required');
  const given = call.kwargs.get('default');
  const where = `the argparse default of ${flag} (line ${line(call.range)}); it can be overridden on the command line`;
  const prov = (range: Range | null): Provenance => ({ source: 'argparse-default', range, detail: where, assignedAt: call.range });
  if (positional || (required?.kind === 'bool' && required.value && !given)) {
    return unknown(`${flag} is required on the command line, so its value is only known at run time`, call.range);
  }
  if (given) {
    if (given.kind === 'unknown') return given;
    let v: Value = withProvenance(given, prov('prov' in given ? given.prov.range : call.range));
    // argparse applies `type` to string defaults only.
    const type = call.kwargs.get('type');
    if (v.kind === 'str' && type && type.kind === 'native' && ['int', 'float', 'str', 'bool'].includes(type.name)) {
      v = ctx.callValue(type, { args: [v], kwargs: new Map(), range: call.range });
    }
    return v;
  }
  if (actionName === 'store_true') return bool(false, prov(call.range));
  if (actionName === 'store_false') return bool(true, prov(call.range));
  return none(prov(call.range));
}

const addArgument: NativeCall = (ctx, call, self) => {
  const parser = self as ObjectValue;
  const d = destOf(call);
  if (d) ctx.state.write({ kind: 'attr', obj: parser, name: OPTION + d.dest }, optionDefault(ctx, call, d.flag, d.positional));
  return none({ source: 'literal', range: call.range, detail: 'argparse action' });
};

const setDefaults: NativeCall = (ctx, call, self) => {
  const parser = self as ObjectValue;
  for (const [k, v] of call.kwargs) {
    ctx.state.write({ kind: 'attr', obj: parser, name: OPTION + k }, 'prov' in v ? withProvenance(v, { source: 'argparse-default', range: v.prov.range, detail: `the argparse default of ${k} set by set_defaults (line ${line(call.range)}); it can be overridden on the command line`, assignedAt: call.range }) : v);
  }
  return none(literal(call.range));
};

function namespace(ctx: CallContext, parser: ObjectValue, call: CallArgs): Value {
  const ns = newObject(ctx.state, NAMESPACE, 'eager', call, 'parsed command line');
  const explicitArgs = call.args[0] ?? call.kwargs.get('args');
  if (explicitArgs && explicitArgs.kind !== 'none') {
    ns.opaque = { reason: `a command line given in the file (line ${line(call.range)}), which is not parsed`, range: call.range };
    return ns;
  }
  for (const [k, v] of parser.attrs) if (k.startsWith(OPTION)) ns.attrs.set(k.slice(OPTION.length), v);
  if (parser.opaque) ns.opaque = parser.opaque;
  return ns;
}

const parseArgs: NativeCall = (ctx, call, self) => namespace(ctx, self as ObjectValue, call);

const parseKnownArgs: NativeCall = (ctx, call, self) => ({
  kind: 'tuple',
  id: ctx.state.newId(),
  items: [namespace(ctx, self as ObjectValue, call), unknown('the unparsed rest of the command line', call.range)],
  prov: { source: 'literal', range: call.range, detail: 'parse_known_args()' },
});

const returnSelf: NativeCall = (_ctx, _call, self) => self!;

const noValue: NativeCall = (_ctx, call) => none({ source: 'literal', range: call.range, detail: 'None' });

const subparsers: NativeCall = (ctx, call, self) => {
  const parser = self as ObjectValue;
  ctx.state.write({ kind: 'opaque', obj: parser }, { reason: `sub-commands (line ${line(call.range)}), which are not modelled`, range: call.range });
  return unknown('argparse sub-commands are not modelled', call.range);
};

const parserModel: ClassModel = {
  name: PARSER,
  params: [],
  defaults: {},
  source: 'Python argparse',
  construct: (ctx, call) => newObject(ctx.state, PARSER, 'eager', call, 'argument parser'),
  methods: {
    add_argument: addArgument,
    add_argument_group: returnSelf,
    add_mutually_exclusive_group: returnSelf,
    set_defaults: setDefaults,
    parse_args: parseArgs,
    parse_known_args: parseKnownArgs,
    add_subparsers: subparsers,
    print_help: noValue,
    error: noValue,
  },
};

const namespaceModel: ClassModel = { name: NAMESPACE, params: [], defaults: {}, source: 'Python argparse' };

// ----- functools.partial ---------------------------------------------------------------------

const partial: NativeCall = (_ctx, call) => {
  const [fn, ...args] = call.args;
  if (!fn) return unknown('partial() without a function', call.range);
  return { kind: 'partial', fn, args, kwargs: new Map(call.kwargs), prov: { source: 'literal', range: call.range, detail: `partial(${describe(fn)})` } };
};

// ----- itertools.product ---------------------------------------------------------------------

/**
 * `itertools.product(*iterables, repeat=1)` of known sequences, as a list of tuples in Python's
 * order (the last iterable varies fastest), so that a sweep over it unrolls like nested loops.
 */
const product: NativeCall = (ctx, call) => {
  const repeat = call.kwargs.get('repeat');
  if ([...call.kwargs.keys()].some((k) => k !== 'repeat')) return unknown('itertools.product() takes no keyword but repeat', call.range);
  if (repeat && repeat.kind !== 'int') return repeat.kind === 'unknown' ? repeat : unknown('itertools.product() with a repeat that is not an integer', call.range);
  const times = repeat?.value ?? 1;
  if (times < 0) return unknown('itertools.product() with a negative repeat raises', call.range);
  const pools = call.args.map(iterableItems);
  if (pools.some((p) => !p)) return unknown('itertools.product() of an unknown sequence', call.range);
  const count = pools.reduce((n, p) => n * p!.length, 1) ** times;
  if (count > MAX_RANGE || pools.length * times > MAX_RANGE) return unknown(`itertools.product() of ${count} tuples is not unrolled`, call.range);
  let tuples: Value[][] = [[]];
  for (let r = 0; r < times; r++) for (const pool of pools) tuples = tuples.flatMap((t) => pool!.map((x) => [...t, x]));
  return newList(ctx, tuples.map((t) => newList(ctx, t, call.range, 'tuple')), call.range);
};

// ----- registry ------------------------------------------------------------------------------

const values: Record<string, () => Value> = {
  'os.environ.get': () => native('os.environ.get', environGet),
  'os.getenv': () => native('os.getenv', environGet),
  'os.environ.setdefault': () => native('os.environ.setdefault', environSetdefault),
  'os.environ.update': () => native('os.environ.update', environUpdate),
  'argparse.ArgumentParser': () => ({ kind: 'class', name: PARSER, prov: { source: 'literal', range: null, detail: PARSER } }),
  'functools.partial': () => native('functools.partial', partial),
  'itertools.product': () => native('itertools.product', product),
  'sys.argv': () => unknown('sys.argv is only known at run time'),
  'sys.exit': () => native('sys.exit', noValue),
  'os.cpu_count': () => native('os.cpu_count', (_c, call) => unknown('the CPU count of the machine that runs the job', call.range)),
  'math.ceil': () => native('math.ceil', mathFn('ceil', Math.ceil)),
  'math.floor': () => native('math.floor', mathFn('floor', Math.floor)),
  'math.sqrt': () => native('math.sqrt', mathFn('sqrt', Math.sqrt, true)),
  'math.log2': () => native('math.log2', mathFn('log2', Math.log2, true)),
};

function mathFn(name: string, f: (x: number) => number, isFloat = false): NativeCall {
  return (_ctx, call) => {
    const x = call.args[0];
    if (!x || (x.kind !== 'int' && x.kind !== 'float')) return x?.kind === 'unknown' ? x : unknown(`math.${name}() of a value that is not a number`, call.range);
    const r = f(x.value);
    const prov: Provenance = { source: 'derived', range: call.range, detail: `math.${name}()`, inputs: [x.prov] };
    return isFloat ? { kind: 'float', value: r, prov } : { kind: 'int', value: r, prov };
  };
}

/** Logging and printing helpers: calls that change nothing the analysis reads. */
const HARMLESS = /^(logging|logger|warnings|time|datetime|pprint|json\.dumps|shutil|glob|pathlib|os\.path|os\.makedirs|torch\.manual_seed|random|numpy\.random)(\.|$)/;

export function resolveStdlib(path: string): Value | undefined {
  const make = own(values, path);
  if (make) return make();
  // A logger's methods are as harmless as the logging module's functions.
  if (path === 'logging.getLogger') return native(path, () => ({ kind: 'module', path: 'logging.Logger', prov: { source: 'literal', range: null, detail: 'a logger' } }));
  if (path === 'os.environ') return { kind: 'module', path, prov: { source: 'literal', range: null, detail: 'os.environ' } };
  if (HARMLESS.test(path) && !['logging', 'warnings', 'time', 'datetime', 'shutil', 'glob', 'pathlib', 'random'].includes(path)) {
    return native(path, (_c, call: CallArgs) => unknown(`the result of ${path}()`, call.range));
  }
  return undefined;
}

export function stdlibClass(name: string): ClassModel | undefined {
  if (name === PARSER) return parserModel;
  if (name === NAMESPACE) return namespaceModel;
  return undefined;
}

export function torchDtype(path: string): Value | undefined {
  const m = /^torch\.(bfloat16|float16|half|float32|float|float8_e4m3fn)$/.exec(path);
  return m ? str(path, { source: 'literal', range: null, detail: path }) : undefined;
}
