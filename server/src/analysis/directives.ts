// `# recipe-lens: key=value` directive comments: `gpu=h200-141gb` (the GPU memory is estimated
// for), and the world a launcher gives Megatron-Bridge jobs, `world=16` or `nodes=2
// gpus-per-node=8`. The first directive of each key in the file counts.
import type { Range } from '../parse/positions';
import type { StatedWorld } from '../plan/plan';
import { commentStart } from './suppressions';

export interface Directive {
  value: string;
  /** The value's range, for diagnostics and fixes. */
  range: Range;
}

const DIRECTIVE = /#\s*recipe-lens:\s*(.*)$/;
const PAIR = /([a-z][a-z-]*)\s*=\s*([^\s#]+)/g;

export function parseDirectives(text: string): Map<string, Directive> {
  const out = new Map<string, Directive>();
  if (!text.includes('recipe-lens:')) return out;
  const lines = text.split('\n');
  for (let line = 0; line < lines.length; line++) {
    const lineText = lines[line]!;
    if (!lineText.includes('recipe-lens:')) continue;
    const start = commentStart(lineText);
    if (start < 0) continue;
    const m = DIRECTIVE.exec(lineText.slice(start));
    if (!m) continue;
    const bodyStart = start + m.index + m[0].length - m[1]!.length;
    for (const pair of m[1]!.matchAll(PAIR)) {
      const key = pair[1]!;
      if (out.has(key)) continue;
      const at = bodyStart + pair.index! + pair[0].length - pair[2]!.length;
      out.set(key, { value: pair[2]!, range: { start: { line, character: at }, end: { line, character: at + pair[2]!.length } } });
    }
  }
  return out;
}

export function directiveWorld(directives: Map<string, Directive>): StatedWorld | undefined {
  const count = (key: string) => {
    const d = directives.get(key);
    const n = d ? Number(d.value) : NaN;
    return d && Number.isInteger(n) && n > 0 ? { ...d, count: n } : undefined;
  };
  const world: StatedWorld = { nodes: count('nodes'), gpusPerNode: count('gpus-per-node'), size: count('world') };
  return world.nodes || world.gpusPerNode || world.size ? world : undefined;
}
