// Launch commands in shell-like text (a .sh / .sbatch script, a README code block, a Python
// docstring): the torchrun and srun commands that start a Python training script, and the world
// size each gives it. A recipe's world size is rarely in the script itself but in the command that
// runs it, so the parallel layout can be checked against it. Pure: text in, commands out; nothing
// is run and nothing is read. Shell is only approximated, enough for the way launch scripts are
// written: literal variables are substituted, anything computed at run time stays unknown.
import { posix } from 'node:path';

export interface LaunchCommand {
  /** The .py file launched, as written (variables assigned earlier in the text substituted). */
  script: string;
  nodes?: number;
  gpusPerNode?: number;
  world?: number;
  /** 0-based line in the text where the command starts. */
  line: number;
  /** The launcher and the options the numbers come from, for hovers. */
  how: string;
}

/** A word after quote removal; unknown when part of it is an expansion we cannot resolve. */
interface Word {
  text: string;
  unknown: boolean;
}

type Token = Word | { op: string };
type Lookup = (name: string) => Word | undefined;

/** A count as written: a number, null when given in a form we cannot read, undefined when not given. */
type Count = number | null | undefined;

const SLURM_FIELDS = ['nodes', 'tasksPerNode', 'tasks', 'gpusPerNode'] as const;
type SlurmField = (typeof SLURM_FIELDS)[number];
type Slurm = Record<SlurmField, Count> & { written: Partial<Record<SlurmField, string>> };

interface Env {
  vars: Map<string, Word>;
  slurm: Slurm;
}

// Variables Slurm sets from the allocation, so `--nnodes=$SLURM_NNODES` reads the #SBATCH value.
// Never unset inside a job, so their `${...:-default}` forms are not taken.
const SLURM_VARS = new Map<string, SlurmField>([
  ['SLURM_NNODES', 'nodes'],
  ['SLURM_JOB_NUM_NODES', 'nodes'],
  ['SLURM_NTASKS_PER_NODE', 'tasksPerNode'],
  ['SLURM_GPUS_ON_NODE', 'gpusPerNode'],
]);

const PYTHON = /^python(\d+(\.\d+)*)?$/;
const SLURM_OPTIONS = new Set(['--nodes', '-N', '--ntasks-per-node', '--ntasks', '-n', '--gpus-per-node', '--gres']);
const TORCH_LAUNCH_MODULES = new Set(['torch.distributed.run', 'torch.distributed.launch']);
const SEGMENT_OPS = new Set([';', '&&', '||', '|', '&', '(', ')']);
const ASSIGNMENT = /^([A-Za-z_]\w*)=([\s\S]*)$/;
const ARRAY_ASSIGNMENT = /^\s*(?:(?:export|local|readonly|declare|typeset)\s+(?:-\w+\s+)*)?([A-Za-z_]\w*)=\(/;
const DECLARATIONS = new Set(['export', 'local', 'readonly', 'declare', 'typeset']);
const OPENERS = new Set(['if', 'for', 'while', 'until', 'case', 'select']);
const CLOSERS = new Set(['fi', 'done', 'esac']);
const CONTINUERS = new Set(['then', 'do', 'else', '{']);

export function parseLaunchCommands(text: string): LaunchCommand[] {
  const env: Env = { vars: new Map(), slurm: noSlurm() };
  const found: LaunchCommand[] = [];
  // Depth of if/for/while/case blocks: an assignment inside one may not run, so its value is unknown.
  let depth = 0;
  for (const { text: src, line } of logicalLines(text)) {
    const sbatch = /^\s*#SBATCH\s+([\s\S]*)$/.exec(src);
    if (sbatch) {
      // Slurm does not expand variables in #SBATCH lines.
      const own = readSlurm(words(tokenize(sbatch[1]!, () => ({ text: '', unknown: true }))));
      env.slurm = overlay(own, env.slurm);
      continue;
    }
    const array = ARRAY_ASSIGNMENT.exec(src);
    if (array) {
      const open = src.indexOf('(', array[0].length - 1);
      const inner = words(tokenize(src.slice(open + 1, src.lastIndexOf(')') > open ? src.lastIndexOf(')') : undefined), lookupIn(env)));
      env.vars.set(array[1]!, { text: inner.map((w) => w.text).join(' '), unknown: depth > 0 || inner.some((w) => w.unknown) });
      continue;
    }
    for (const seg of segments(src, lookupIn(env))) {
      depth = trackAssignments(seg, env, depth);
      const cmd = launchIn(seg, env, line);
      if (cmd) found.push(cmd);
    }
  }
  return found;
}

/**
 * Does the command's script refer to the file at absolute `scriptPath`, the command being in a file
 * in `commandFileDir`? Either relative to that directory, or, since scripts are mostly run from the
 * repository root, as a path suffix at a segment boundary. A leading unresolved `$DIR/` is skipped.
 */
export function commandNamesScript(cmd: LaunchCommand, scriptPath: string, commandFileDir: string): boolean {
  const target = posix.normalize(scriptPath);
  const parts = cmd.script.split('/');
  let lastVariable = -1;
  parts.forEach((p, i) => {
    if (p.includes('$')) lastVariable = i;
  });
  if (lastVariable === parts.length - 1) return false;
  if (lastVariable >= 0) return isPathSuffix(parts.slice(lastVariable + 1).join('/'), target);
  return posix.resolve(commandFileDir, cmd.script) === target || isPathSuffix(cmd.script, target);
}

function isPathSuffix(relative: string, target: string): boolean {
  const norm = posix.normalize(relative).replace(/^(\.\/)+/, '');
  if (norm === '.' || norm === '..' || norm.startsWith('../') || posix.isAbsolute(norm)) return false;
  return target === norm || target.endsWith('/' + norm);
}

// ---- lines and words ----

interface LogicalLine {
  text: string;
  line: number;
}

/** Lines with backslash continuations joined and multi-line array assignments gathered. */
function logicalLines(text: string): LogicalLine[] {
  const raw = text.split(/\r?\n/);
  const out: LogicalLine[] = [];
  for (let i = 0; i < raw.length; i++) {
    const line = i;
    let cur = raw[i]!;
    // A comment ending in a backslash does not continue in shell.
    while (!/^\s*#/.test(cur) && /\\\s*$/.test(cur) && i + 1 < raw.length) cur = cur.replace(/\\\s*$/, ' ') + raw[++i]!;
    if (ARRAY_ASSIGNMENT.test(cur)) {
      while (parenDepth(cur) > 0 && i + 1 < raw.length && i - line < 200) cur += '\n' + raw[++i]!;
    }
    out.push({ text: cur, line });
  }
  return out;
}

function parenDepth(s: string): number {
  let depth = 0;
  for (const c of s.replace(/#[^\n]*/g, '')) depth += c === '(' ? 1 : c === ')' ? -1 : 0;
  return depth;
}

/**
 * Shell words and operators, with variables expanded and quotes removed. Lazy, so that the
 * assignments of one statement are recorded before the next one's variables are expanded
 * (`N=2; torchrun --nnodes=$N ...`).
 */
function* tokenize(src: string, lookup: Lookup): Generator<Token> {
  const tokens: Token[] = [];
  let text = '';
  let unknown = false;
  let started = false;
  const end = () => {
    if (started) tokens.push({ text, unknown });
    text = '';
    unknown = false;
    started = false;
  };
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (/\s/.test(c)) {
      end();
      i++;
    } else if (c === '#' && !started) {
      const nl = src.indexOf('\n', i);
      i = nl === -1 ? src.length : nl;
    } else if (c === '\\') {
      // Escapes the next character; before a newline (inside a gathered array) it only continues the line.
      if (src[i + 1] !== '\n') {
        text += src[i + 1] ?? '';
        started = true;
      }
      i += 2;
    } else if (c === "'") {
      const close = src.indexOf("'", i + 1);
      text += src.slice(i + 1, close === -1 ? undefined : close);
      started = true;
      i = close === -1 ? src.length : close + 1;
    } else if (c === '"') {
      const q = doubleQuoted(src, i + 1, lookup);
      text += q.text;
      unknown ||= q.unknown;
      started = true;
      i = q.end;
    } else if (c === '$') {
      const e = expansion(src, i, lookup);
      if (e.unknown) {
        text += e.text;
        unknown = true;
        started = true;
      } else {
        // An unquoted expansion is split into words, so `torchrun $DISTRIBUTED_ARGS x.py` reads its options.
        for (const ch of e.text) {
          if (/\s/.test(ch)) end();
          else {
            text += ch;
            started = true;
          }
        }
      }
      i = e.end;
    } else if (/[;&|()<>]/.test(c)) {
      end();
      const two = src.slice(i, i + 2);
      const op = two === '&&' || two === '||' || two === '>>' ? two : c;
      tokens.push({ op });
      i += op.length;
    } else {
      text += c;
      started = true;
      i++;
    }
    yield* tokens.splice(0);
  }
  end();
  yield* tokens;
}

function doubleQuoted(src: string, from: number, lookup: Lookup): { text: string; unknown: boolean; end: number } {
  let text = '';
  let unknown = false;
  let i = from;
  while (i < src.length && src[i] !== '"') {
    const c = src[i]!;
    if (c === '\\' && i + 1 < src.length && '$`"\\'.includes(src[i + 1]!)) {
      text += src[i + 1];
      i += 2;
    } else if (c === '$') {
      const e = expansion(src, i, lookup);
      text += e.text;
      unknown ||= e.unknown;
      i = e.end;
    } else {
      text += c;
      i++;
    }
  }
  return { text, unknown, end: i + 1 };
}

/** The expansion starting at src[i] === '$': its value, or its own text when unknown. */
function expansion(src: string, i: number, lookup: Lookup): { text: string; unknown: boolean; end: number } {
  const next = src[i + 1];
  if (next === '{' || next === '(') {
    const close = matching(src, i + 1);
    const raw = src.slice(i, close + 1);
    if (next === '(') return { text: raw, unknown: true, end: close + 1 };
    return { ...braced(src.slice(i + 2, close), raw, lookup), end: close + 1 };
  }
  const name = /^[A-Za-z_]\w*/.exec(src.slice(i + 1))?.[0];
  if (name) {
    const v = lookup(name);
    const end = i + 1 + name.length;
    return v && !v.unknown ? { text: v.text, unknown: false, end } : { text: '$' + name, unknown: true, end };
  }
  if (next !== undefined && /[0-9@*#?$!-]/.test(next)) return { text: '$' + next, unknown: true, end: i + 2 };
  return { text: '$', unknown: false, end: i + 1 };
}

/** `${NAME}`, `${NAME[@]}`, `${NAME:-default}` (also `-`, `:=`, `=`); other forms are unknown. */
function braced(body: string, raw: string, lookup: Lookup): Word {
  const m = /^([A-Za-z_]\w*)(?:\[[@*]\])?(?:(:?[-=])([\s\S]*))?$/.exec(body);
  if (!m) return { text: raw, unknown: true };
  const v = lookup(m[1]!);
  if (v?.unknown) return { text: raw, unknown: true };
  const emptyTakesDefault = m[2]?.startsWith(':') ?? false;
  if (v && !(emptyTakesDefault && v.text === '')) return v;
  if (m[2] === undefined) return { text: raw, unknown: true };
  const w = words(tokenize(m[3]!, lookup));
  return { text: w.map((x) => x.text).join(' '), unknown: w.some((x) => x.unknown) };
}

/** Index of the bracket closing the one at src[open], or the last index when it never closes. */
function matching(src: string, open: number): number {
  const o = src[open]!;
  const c = o === '{' ? '}' : ')';
  let depth = 0;
  for (let i = open; i < src.length; i++) {
    if (src[i] === o) depth++;
    else if (src[i] === c && --depth === 0) return i;
  }
  return src.length - 1;
}

function words(tokens: Iterable<Token>): Word[] {
  return [...tokens].filter((t): t is Word => 'text' in t);
}

/**
 * Simple commands: words between operators, redirection targets dropped. Backticks split too,
 * before quotes are read: they mark inline code in Markdown and docstrings, where an apostrophe
 * in the prose around them must not open a quote.
 */
function* segments(src: string, lookup: Lookup): Generator<Word[]> {
  const pieces = src.split('`');
  for (const [p, piece] of pieces.entries()) {
    let seg: Word[] = [];
    let redirect = false;
    for (const t of tokenize(piece, lookup)) {
      if ('op' in t) {
        if (SEGMENT_OPS.has(t.op)) {
          if (seg.length > 0) yield seg;
          seg = [];
        } else redirect = true;
      } else if (redirect) redirect = false;
      else seg.push(t);
    }
    // In a script `G=\`nproc\`` assigns a command's output: unknown, not empty.
    const last = seg[seg.length - 1];
    if (last && p < pieces.length - 1 && /[A-Za-z_]\w*="?$/.test(piece)) last.unknown = true;
    if (seg.length > 0) yield seg;
  }
}

function lookupIn(env: Env): Lookup {
  return (name) => {
    const v = env.vars.get(name);
    if (v) return v;
    const field = SLURM_VARS.get(name);
    if (field === undefined) return undefined;
    const n = env.slurm[field];
    return typeof n === 'number' ? { text: String(n), unknown: false } : { text: '', unknown: true };
  };
}

/** Records the literal assignments of a statement; returns the block depth after it. */
function trackAssignments(seg: Word[], env: Env, depth: number): number {
  let k = 0;
  while (k < seg.length && CONTINUERS.has(seg[k]!.text)) k++;
  const first = seg[k]?.text;
  if (first === undefined) return depth;
  if (CLOSERS.has(first)) return Math.max(0, depth - 1);
  if (OPENERS.has(first)) {
    const loopVar = seg[k + 1];
    if (first === 'for' && loopVar && /^[A-Za-z_]\w*$/.test(loopVar.text)) env.vars.set(loopVar.text, { text: '$' + loopVar.text, unknown: true });
    return depth + 1;
  }
  if (DECLARATIONS.has(first)) {
    k++;
    while (k < seg.length && seg[k]!.text.startsWith('-')) k++;
  }
  const rest = seg.slice(k);
  // `NNODES=2 torchrun ...` sets NNODES for that command only.
  if (rest.length === 0 || !rest.every((w) => ASSIGNMENT.test(w.text))) return depth;
  for (const w of rest) {
    const [, name, value] = ASSIGNMENT.exec(w.text)!;
    const unknown = w.unknown || depth > 0;
    env.vars.set(name!, { text: unknown ? '$' + name : value!, unknown });
  }
  return depth;
}

// ---- launchers ----

/** The launch in one simple command: the first srun, torchrun or `python -m torch.distributed.run`. */
function launchIn(seg: Word[], env: Env, line: number): LaunchCommand | undefined {
  for (let i = 0; i < seg.length; i++) {
    const base = posix.basename(seg[i]!.text);
    if (base === 'srun') return srunLaunch(seg.slice(i + 1), env, line);
    if (base === 'torchrun' || PYTHON.test(base)) {
      // Python running a script directly starts one process: not a launch.
      const torchrun = torchrunAt(seg, i);
      return torchrun && torchrunLaunch(torchrun, env.slurm, line, '');
    }
  }
  return undefined;
}

interface Torchrun {
  launcher: string;
  script: string;
  nproc: Count;
  /** `--nproc_per_node=gpu` or `auto`: as many as the node's GPUs. */
  nprocAll: boolean;
  nnodes: Count;
  written: string[];
}

/** A torchrun (or `python -m torch.distributed.run|launch`) command starting at seg[i] that launches a .py file. */
function torchrunAt(seg: Word[], i: number): Torchrun | undefined {
  const w = seg[i]!.text;
  const base = posix.basename(w);
  if (base === 'torchrun') return readTorchrun('torchrun', seg.slice(i + 1));
  if (!PYTHON.test(base)) return undefined;
  const target = pythonTarget(seg, i + 1);
  if (!target || !('module' in target) || !TORCH_LAUNCH_MODULES.has(target.module)) return undefined;
  return readTorchrun(`${base} -m ${target.module}`, seg.slice(target.rest));
}

/** What `python [options]` runs: a module (-m) or a script; undefined for -c. */
function pythonTarget(seg: Word[], from: number): { module: string; rest: number } | { script: string; rest: number } | undefined {
  for (let j = from; j < seg.length; j++) {
    const t = seg[j]!.text;
    if (t === '-m') return seg[j + 1] ? { module: seg[j + 1]!.text, rest: j + 2 } : undefined;
    if (/^-m[\w.]+$/.test(t)) return { module: t.slice(2), rest: j + 1 };
    if (t.startsWith('-c')) return undefined;
    if (t === '-W' || t === '-X') j++;
    else if (!t.startsWith('-')) return { script: t, rest: j + 1 };
  }
  return undefined;
}

// torchrun options that take no value; every other option takes one (`--opt=v` or `--opt v`). The
// module and no-python flags mean no .py file is launched.
const TORCHRUN_FLAGS = new Set(['--standalone', '--use-env', '--run-path']);
const NO_SCRIPT_FLAGS = new Set(['-m', '--module', '--no-python']);

function readTorchrun(launcher: string, args: Word[]): Torchrun | undefined {
  const t: Torchrun = { launcher, script: '', nproc: undefined, nprocAll: false, nnodes: undefined, written: [] };
  for (let j = 0; j < args.length; j++) {
    const w = args[j]!;
    if (w.text === '--') {
      t.script = args[j + 1]?.text ?? '';
      break;
    }
    if (!w.text.startsWith('-')) {
      if (w.text.endsWith('.py')) {
        t.script = w.text;
        break;
      }
      if (!w.unknown) return undefined;
      // An unresolved `$ARGS` may hold any options: what came before it may be overridden.
      t.nproc = null;
      t.nnodes = null;
      t.nprocAll = false;
      t.written.push(w.text);
      continue;
    }
    const eq = w.text.indexOf('=');
    const written = eq === -1 ? w.text : w.text.slice(0, eq);
    const name = written.replace(/_/g, '-');
    if (NO_SCRIPT_FLAGS.has(name)) return undefined;
    if (TORCHRUN_FLAGS.has(name)) {
      if (name === '--standalone') t.written.push(written);
      continue;
    }
    const value = eq === -1 ? args[++j]?.text : w.text.slice(eq + 1);
    if (name === '--nproc-per-node') {
      t.nprocAll = value === 'gpu' || value === 'auto';
      t.nproc = count(value);
      t.written.push(`${written}=${value ?? ''}`);
    } else if (name === '--nnodes') {
      t.nnodes = count(value, ':');
      t.written.push(`${written}=${value ?? ''}`);
    }
  }
  return t.script.endsWith('.py') ? t : undefined;
}

/** torchrun's defaults are one node and one process per node; `gpu`/`auto` take the Slurm GPUs per node. */
function torchrunLaunch(t: Torchrun, slurm: Slurm, line: number, prefix: string): LaunchCommand {
  const gpus = t.nprocAll ? slurm.gpusPerNode : t.nproc === undefined ? 1 : t.nproc;
  const nodes = t.nnodes === undefined ? 1 : t.nnodes;
  return command(t.script, nodes, gpus, undefined, line, prefix + [t.launcher, ...t.written].join(' '));
}

/** A word srun may launch (uv and other wrappers are passed over to the program they run). */
function isProgram(base: string): boolean {
  return base === 'torchrun' || base === 'bash' || base === 'sh' || PYTHON.test(base);
}

function srunLaunch(args: Word[], env: Env, line: number): LaunchCommand | undefined {
  const end = args.findIndex((w) => isProgram(posix.basename(w.text)));
  if (end === -1) return undefined;
  const own = readSlurm(args.slice(0, end));
  const slurm = overlay(own, env.slurm);
  const fromBatch = SLURM_FIELDS.filter((f) => own[f] === undefined && env.slurm.written[f]).map((f) => env.slurm.written[f]!);
  const ownWritten = SLURM_FIELDS.map((f) => own.written[f]).filter((s): s is string => s !== undefined);
  const suffix = fromBatch.length > 0 ? ` with #SBATCH ${fromBatch.join(' ')}` : '';
  const prefix = ['srun', ...ownWritten].join(' ');
  const stepEnv: Env = { vars: env.vars, slurm };
  const launched = (seg: Word[], i: number): LaunchCommand | undefined => {
    const torchrun = torchrunAt(seg, i);
    if (torchrun) {
      const cmd = torchrunLaunch(torchrun, slurm, line, prefix + ' ');
      return { ...cmd, how: cmd.how + suffix };
    }
    const base = posix.basename(seg[i]!.text);
    if (PYTHON.test(base)) {
      const target = pythonTarget(seg, i + 1);
      return target && 'script' in target && target.script.endsWith('.py') ? srunPython(target.script, slurm, line, prefix + suffix) : undefined;
    }
    // `srun bash -c '...'`: the quoted command runs in the job step, with its Slurm variables.
    const flag = seg[i + 1]?.text;
    if ((base === 'bash' || base === 'sh') && flag !== undefined && /^-\w*c$/.test(flag) && seg[i + 2]) {
      for (const inner of segments(seg[i + 2]!.text, lookupIn(stepEnv))) {
        for (let k = 0; k < inner.length; k++) {
          const cmd = launched(inner, k);
          if (cmd) return cmd;
        }
      }
    }
    return undefined;
  };
  return launched(args, end);
}

/** srun starting Python directly: one process per task, one task per GPU. */
function srunPython(script: string, slurm: Slurm, line: number, how: string): LaunchCommand {
  const nodes = slurm.nodes;
  if (slurm.tasksPerNode === undefined && typeof slurm.tasks === 'number') {
    const perNode = typeof nodes === 'number' && slurm.tasks % nodes === 0 ? slurm.tasks / nodes : undefined;
    return command(script, nodes, perNode, slurm.tasks, line, how);
  }
  // Slurm's own defaults are not taken: sbatch options given on its command line override them.
  return command(script, nodes, slurm.tasksPerNode, undefined, line, how);
}

function command(script: string, nodes: Count, gpusPerNode: Count, world: Count, line: number, how: string): LaunchCommand {
  const cmd: LaunchCommand = { script, line, how };
  if (typeof nodes === 'number') cmd.nodes = nodes;
  if (typeof gpusPerNode === 'number') cmd.gpusPerNode = gpusPerNode;
  const total = typeof world === 'number' ? world : typeof nodes === 'number' && typeof gpusPerNode === 'number' ? nodes * gpusPerNode : undefined;
  if (total !== undefined) cmd.world = total;
  return cmd;
}

// ---- Slurm options ----

function noSlurm(): Slurm {
  return { nodes: undefined, tasksPerNode: undefined, tasks: undefined, gpusPerNode: undefined, written: {} };
}

/** `over`'s fields where given, `under`'s otherwise. */
function overlay(over: Slurm, under: Slurm): Slurm {
  const out = noSlurm();
  for (const f of SLURM_FIELDS) {
    const from = over[f] !== undefined ? over : under;
    out[f] = from[f];
    if (from.written[f] !== undefined) out.written[f] = from.written[f];
  }
  return out;
}

/** The node, task and GPU counts among srun or #SBATCH options; other options and their values are passed over. */
function readSlurm(args: Word[]): Slurm {
  const s = noSlurm();
  const set = (field: SlurmField, value: Count, written: string) => {
    s[field] = value;
    s.written[field] = written;
  };
  for (let j = 0; j < args.length; j++) {
    const w = args[j]!;
    const m = /^(--[\w-]+)(?:=([\s\S]*))?$|^(-[Nn])(.*)$/.exec(w.text);
    if (!m) {
      // `srun $SRUN_ARGS ...` may set any of them.
      if (w.unknown && w.text.startsWith('$')) for (const f of SLURM_FIELDS) set(f, null, w.text);
      continue;
    }
    const name = m[1] ?? m[3]!;
    if (!SLURM_OPTIONS.has(name)) continue;
    const value = (m[1] !== undefined ? m[2] : m[4] || undefined) ?? args[++j]?.text;
    const written = `${name.startsWith('--') ? name + '=' : name + ' '}${value ?? ''}`;
    if (name === '--nodes' || name === '-N') set('nodes', count(value, '-'), written);
    else if (name === '--ntasks-per-node') set('tasksPerNode', count(value), written);
    else if (name === '--ntasks' || name === '-n') set('tasks', count(value), written);
    else if (name === '--gpus-per-node') set('gpusPerNode', count(value?.replace(/^[\w-]+:/, '')), written);
    else if (value !== undefined && /(^|,)gpu(:|,|$)/.test(value)) {
      // --gres=gpu:8 or gpu:h100:8, possibly among other resources.
      set('gpusPerNode', count(/(?:^|,)gpu(?::[\w-]+)?:(\d+)(?=,|$)/.exec(value)?.[1]), written);
    }
  }
  return s;
}

/** A positive count, or a `min<sep>max` range of equal ends; null for anything else. */
function count(value: string | undefined, rangeSep?: string): number | null {
  if (value === undefined) return null;
  let v = value;
  if (rangeSep !== undefined && v.includes(rangeSep)) {
    const [lo, hi] = v.split(rangeSep);
    if (lo !== hi) return null;
    v = lo!;
  }
  return /^[1-9]\d*$/.test(v) ? Number(v) : null;
}
