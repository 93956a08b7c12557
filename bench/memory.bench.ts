// `npm run bench`: the cost of one memory estimate and of one hover (with its memory table), with
// a bare tree-sitter parse of the recipe measured side by side as the reference. Goal: an
// estimate well under a millisecond.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeText } from '../server/src/analysis/analyze';
import { hoverAt } from '../server/src/analysis/hover';
import { estimateMemory } from '../server/src/memory/estimate';
import { nodeWasmSources } from '../server/src/parse/nodeWasm';
import { loadPython, newPythonParser } from '../server/src/parse/treeSitter';

const ROOT = process.argv.includes('--root') ? process.argv[process.argv.indexOf('--root') + 1]! : join(__dirname, '..');

/** Jobs from small to large: one stage; 4 stages x 5 virtual; 16 stages of a 61-layer MoE. */
const RECIPES: [string, string][] = [
  ['llama3_8b, 1 stage', 'recipe = llm.llama3_8b.pretrain_recipe(num_nodes=1, num_gpus_per_node=8)'],
  ['llama3_70b, PP 4 x VP 5', 'recipe = llm.llama3_70b.pretrain_recipe(num_nodes=16, num_gpus_per_node=8)'],
  ['deepseek_v3, PP 16, 256 experts', 'recipe = llm.deepseek_v3.pretrain_recipe(num_nodes=128, num_gpus_per_node=8)'],
];

/** Median microseconds per call, over batches of calls (one call is too short to time alone). */
function timeUs(fn: () => void, batches = 31, perBatch = 200): number {
  const samples: number[] = [];
  for (let b = 0; b < batches; b++) {
    const t = performance.now();
    for (let i = 0; i < perBatch; i++) fn();
    samples.push(((performance.now() - t) * 1000) / perBatch);
  }
  samples.sort((a, c) => a - c);
  return samples[Math.floor(samples.length / 2)]!;
}

async function main(): Promise<void> {
  const parser = newPythonParser(await loadPython(nodeWasmSources()));
  console.log('\nMemory estimate and hover (medians, microseconds per call)\n');
  console.log('job                                  parse us  estimate us  hover us  estimate / parse');
  const rows = [];
  for (const [name, line] of RECIPES) {
    const text = `from nemo.collections import llm\n${line}\n`;
    const analysis = analyzeText(parser, text, { verifyFixes: false });
    const setup = analysis.memory[0]?.setup;
    if (!setup) throw new Error(`${name}: no estimate (${JSON.stringify(analysis.memory[0]?.unknown)})`);
    const onCall = { line: 1, character: line.indexOf('(') };
    if (!hoverAt(analysis, onCall)) throw new Error(`${name}: no hover`);
    // Interleaved, so that machine noise hits all three alike.
    const parse: number[] = [];
    const estimate: number[] = [];
    const hover: number[] = [];
    for (let round = 0; round < 5; round++) {
      parse.push(timeUs(() => parser.parse(text)!.delete(), 7, 50));
      estimate.push(timeUs(() => estimateMemory(setup), 7));
      hover.push(timeUs(() => hoverAt(analysis, onCall), 7));
    }
    const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[2]!;
    const row = { name, parseUs: med(parse), estimateUs: med(estimate), hoverUs: med(hover) };
    rows.push(row);
    console.log(`${name.padEnd(36)} ${row.parseUs.toFixed(1).padStart(8)} ${row.estimateUs.toFixed(1).padStart(12)} ${row.hoverUs.toFixed(1).padStart(9)}  ${(row.estimateUs / row.parseUs).toFixed(2)}x`);
  }
  const file = join(ROOT, 'bench', 'results.json');
  const previous = (() => {
    try {
      return JSON.parse(readFileSync(file, 'utf8')) as object;
    } catch {
      return {};
    }
  })();
  writeFileSync(file, JSON.stringify({ ...previous, memory: rows }, null, 2) + '\n');
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
