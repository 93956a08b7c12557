// `npm run bench`: the layout search, for a 405B-class model on 16,384 GPUs and an 8x7B MoE on
// 1,024 GPUs (the ten best layouts, as the quick fix and "Explore layouts" ask), with a bare
// parse of the recipe beside it. Goal: under 50 ms each.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeText } from '../server/src/analysis/analyze';
import { nodeWasmSources } from '../server/src/parse/nodeWasm';
import { loadPython, newPythonParser } from '../server/src/parse/treeSitter';
import { DEFAULT_RULE_SETTINGS } from '../server/src/rules/rule';
import { searchLayouts } from '../server/src/search/search';

const ROOT = process.argv.includes('--root') ? process.argv[process.argv.indexOf('--root') + 1]! : join(__dirname, '..');

const JOBS: [string, string][] = [
  ['llama31_405b on 16,384 GPUs', 'recipe = llm.llama31_405b.pretrain_recipe(num_nodes=2048, num_gpus_per_node=8)'],
  ['mixtral_8x7b on 1,024 GPUs', 'recipe = llm.mixtral_8x7b.pretrain_recipe(num_nodes=128, num_gpus_per_node=8)'],
];

function median(xs: number[]): number {
  return [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
}

async function main(): Promise<void> {
  const parser = newPythonParser(await loadPython(nodeWasmSources()));
  console.log('\nLayout search, ten best (medians of 15 runs, milliseconds)\n');
  console.log('job                              parse ms  search ms  structures  estimates  goal < 50 ms');
  const rows = [];
  for (const [name, line] of JOBS) {
    const text = `from nemo.collections import llm\n${line}\n`;
    const analysis = analyzeText(parser, text, { verifyFixes: false });
    const parse: number[] = [];
    const search: number[] = [];
    let stats = { structures: 0, estimated: 0 };
    for (let i = 0; i < 17; i++) {
      let t = performance.now();
      parser.parse(text)!.delete();
      const p = performance.now() - t;
      t = performance.now();
      const r = searchLayouts(analysis.plans[0]!, analysis.memory[0]!, DEFAULT_RULE_SETTINGS, { top: 10 });
      const s = performance.now() - t;
      if ('unknown' in r) throw new Error(`${name}: ${r.unknown}`);
      stats = r.stats;
      if (i >= 2) {
        parse.push(p);
        search.push(s);
      }
    }
    const row = { name, parseMs: median(parse), searchMs: median(search), ...stats };
    rows.push(row);
    console.log(`${name.padEnd(32)} ${row.parseMs.toFixed(3).padStart(8)} ${row.searchMs.toFixed(1).padStart(10)} ${String(row.structures).padStart(11)} ${String(row.estimated).padStart(10)}  ${row.searchMs < 50 ? 'met' : 'missed'}`);
  }
  const file = join(ROOT, 'bench', 'results.json');
  let previous = {};
  try {
    previous = JSON.parse(readFileSync(file, 'utf8')) as object;
  } catch {
    // first run
  }
  writeFileSync(file, JSON.stringify({ ...previous, search: rows }, null, 2) + '\n');
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
