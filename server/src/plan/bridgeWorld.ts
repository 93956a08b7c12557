// The world size of a Megatron-Bridge job. Bridge never stores it: the launcher gives it. In order:
// a `# recipe-lens:` directive (the author's statement wins), the NeMo-Run executor that launches
// the job in the file, the torchrun / srun commands that run this file (in the file's own
// docstrings and comments, or in the workspace's scripts, found by the host). Sources that
// disagree leave it unknown. The GPU count in a recipe's name is only a hint: it is said in the
// reason, never used by a rule.
import type { WorkspaceLaunch } from '../evaluate/surroundings';
import type { Provenance } from '../evaluate/values';
import type { LaunchCommand } from '../launch/commands';
import { derivedField, knownField, unknownField } from './fields';
import type { Field, StatedWorld, World } from './plan';

const HOW_TO_STATE = 'state it with `# recipe-lens: world=16` or `# recipe-lens: nodes=2 gpus-per-node=8`';

/** A launch command and where it was found, for provenance. */
export interface FoundLaunch {
  command: LaunchCommand;
  /** "line 4 of this file" or "scripts/train.sh line 12". */
  where: string;
  /** The command's line in this file, when it is in this file. */
  line?: number;
}

export function directiveWorldOf(d: StatedWorld): World {
  const first = (d.size ?? d.nodes ?? d.gpusPerNode)!.range.start.line + 1;
  const unstated = d.size ? `the recipe-lens directive on line ${first} states only the world size` : `the recipe-lens directive on line ${first} does not state it; ${HOW_TO_STATE}`;
  const field = (x: StatedWorld['size']): Field<number> => (x ? knownField(x.count, { source: 'directive', range: x.range, detail: `stated by the recipe-lens directive on line ${x.range.start.line + 1}` }) : unknownField(unstated));
  const nodes = field(d.nodes);
  const gpusPerNode = field(d.gpusPerNode);
  const size = d.size ? field(d.size) : product(nodes, gpusPerNode);
  return { nodes, gpusPerNode, size };
}

/** The world launch commands give; undefined when there are none, unknown when they disagree. */
export function launchWorld(found: readonly FoundLaunch[]): World | undefined {
  if (!found.length) return undefined;
  const worlds = found.map((f) => f.command.world ?? (f.command.nodes && f.command.gpusPerNode ? f.command.nodes * f.command.gpusPerNode : undefined));
  const distinct = new Set(worlds.map((w) => w ?? '?'));
  if (distinct.size > 1) {
    const list = found.map((f, i) => `${f.where} (${worlds[i] ?? 'unknown'})`).join(', ');
    const why = `the launch commands that run this file give different world sizes: ${list}`;
    return { nodes: unknownField(why), gpusPerNode: unknownField(why), size: unknownField(why) };
  }
  const f = found[0]!;
  const prov = (what: string): Provenance => ({ source: 'launcher', range: f.line !== undefined ? lineRange(f.line) : null, detail: `${what} of \`${f.command.how}\` (${f.where})` });
  const why = `\`${f.command.how}\` (${f.where}) does not say it`;
  const nodes = f.command.nodes !== undefined ? knownField<number>(f.command.nodes, prov('the node count')) : unknownField<number>(why);
  const gpusPerNode = f.command.gpusPerNode !== undefined ? knownField<number>(f.command.gpusPerNode, prov('the processes per node')) : unknownField<number>(why);
  const size = f.command.world !== undefined ? knownField<number>(f.command.world, prov('the world size')) : product(nodes, gpusPerNode);
  return { nodes, gpusPerNode, size };
}

/** No source states the world: every field unknown, with why and the hint of the recipe's name. */
export function unstatedWorld(gpusInName: number | null | undefined, recipe: string | undefined): World {
  const hint = gpusInName ? `; the name ${recipe}() suggests ${gpusInName} GPUs, a hint that Recipe Lens does not check against` : '';
  const why = `Megatron-Bridge takes the world size from its launcher (torchrun, srun, NeMo-Run), and none that runs this file was found; ${HOW_TO_STATE}${hint}`;
  return { nodes: unknownField(why), gpusPerNode: unknownField(why), size: unknownField(why) };
}

/** Launch commands of the file itself (docstrings, comments) and of the workspace that run it. */
export function launchesOf(own: readonly LaunchCommand[], workspace: readonly WorkspaceLaunch[] | undefined): FoundLaunch[] {
  return [
    ...own.map((command) => ({ command, where: `line ${command.line + 1} of this file`, line: command.line })),
    ...(workspace ?? []).map((l) => ({ command: l.command, where: `${l.file} line ${l.command.line + 1}` })),
  ];
}

function lineRange(line: number) {
  return { start: { line, character: 0 }, end: { line, character: 0 } };
}

function product(a: Field<number>, b: Field<number>): Field<number> {
  return derivedField([a, b], 'nodes x GPUs per node', () => (a.value === null || b.value === null ? null : a.value * b.value));
}
