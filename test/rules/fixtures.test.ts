// Rule fixtures: test/fixtures/rules/<rule-name>.py, one per rule. A trailing comment says which
// diagnostics start on its line; every other line must have none:
//
//   recipe.trainer.strategy.tensor_model_parallel_size = 3  # expect: RL201, RL202
//   recipe.trainer.strategy.pipeline_model_parallel_size = 1  # expect: RL103:warning
//
// An optional first-lines comment sets rule settings:
//
//   # settings: megatron-core=0.15 cluster-gpus-per-node=8 ignore=RL401,RL402
//
// (`ignore` leaves out rules a fixture is not about: the memory rules, on fixtures whose layouts
// are valid but whose jobs would not fit in memory.)
//
// Every fix offered in a fixture is applied and the text re-analysed: the diagnostic must be gone
// and no new error may appear.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { applyEdits } from '../../server/src/fixes/edits';
import { RULE_DOCS } from '../../server/src/rules/registry';
import { DEFAULT_RULE_SETTINGS, type RuleSettings } from '../../server/src/rules/rule';
import { analyze, surroundingsOf } from '../helpers/analyze';
import type { AnalysisOptions } from '../../server/src/analysis/analyze';

const DIR = join(__dirname, '..', 'fixtures', 'rules');

function settingsOf(text: string): AnalysisOptions {
  const m = /^#\s*settings:(.*)$/m.exec(text);
  const rules: RuleSettings = { ...DEFAULT_RULE_SETTINGS };
  let ignore: string[] = [];
  for (const [, key, value] of (m?.[1] ?? '').matchAll(/([\w-]+)=(\S+)/g)) {
    if (key === 'megatron-core') rules.megatronCore = value!.split('.').map(Number) as [number, number];
    else if (key === 'cluster-gpus-per-node') rules.clusterGpusPerNode = Number(value);
    else if (key === 'ignore') ignore = value!.split(',');
    else throw new Error(`unknown setting ${key}`);
  }
  return { rules, ignore, surroundings: surroundingsOf(text) };
}

function expectations(text: string): Map<number, string[]> {
  const out = new Map<number, string[]>();
  text.split('\n').forEach((line, i) => {
    const m = /#\s*expect:\s*([A-Z0-9:, a-z]+)$/.exec(line);
    if (m) out.set(i, m[1]!.split(',').map((s) => s.trim()).filter(Boolean));
  });
  return out;
}

function count(diagnostics: { code: string; severity: string }[], code: string, errorsOnly: boolean): number {
  return diagnostics.filter((d) => d.code === code && (!errorsOnly || d.severity === 'error')).length;
}

const files = readdirSync(DIR).filter((f) => f.endsWith('.py')).sort();

describe('rule fixtures', () => {
  it('exist for every rule, and each expects its rule', () => {
    for (const rule of RULE_DOCS) {
      const file = `${rule.name}.py`;
      assert.ok(files.includes(file), `test/fixtures/rules/${file} is missing`);
      const text = readFileSync(join(DIR, file), 'utf8');
      assert.ok([...expectations(text).values()].flat().some((e) => e.startsWith(rule.code)), `${file} never expects ${rule.code}`);
    }
  });

  for (const file of files) {
    it(file, async () => {
      const text = readFileSync(join(DIR, file), 'utf8');
      const options = settingsOf(text);
      const { diagnostics } = await analyze(text, options);
      const expected = expectations(text);
      const actual = new Map<number, string[]>();
      for (const d of diagnostics) actual.set(d.range.start.line, [...(actual.get(d.range.start.line) ?? []), `${d.code}:${d.severity}`]);
      const problems: string[] = [];
      for (const line of new Set([...expected.keys(), ...actual.keys()])) {
        const want = (expected.get(line) ?? []).sort();
        const got = (actual.get(line) ?? []).sort();
        const matches = want.length === got.length && want.every((w, i) => (w.includes(':') ? got[i] === w : got[i]!.split(':')[0] === w));
        if (!matches) problems.push(`line ${line + 1}: expected [${want.join(', ')}], got [${got.join(', ')}] ${diagnostics.filter((d) => d.range.start.line === line).map((d) => d.message).join(' | ')}`);
      }
      assert.deepEqual(problems, []);
      // Every fix offered is proven by applying it: its diagnostic goes, and no error appears
      // that no job had (jobs made in a loop share lines, so a fix for one reaches the others).
      const errorKeys = new Set(diagnostics.filter((e) => e.severity === 'error').flatMap((e) => [`${e.code} ${e.message}`, ...(e.plan === undefined ? [] : [`${e.code}@${e.plan}`])]));
      for (const d of diagnostics) {
        for (const fix of d.fixes) {
          const after = (await analyze(applyEdits(text, fix.edits), options)).diagnostics;
          assert.ok(count(after, d.code, false) < count(diagnostics, d.code, false), `${file}:${d.range.start.line + 1} "${fix.title}" leaves ${d.code}`);
          for (const e of after) {
            if (e.severity !== 'error') continue;
            assert.ok(count(after, e.code, true) <= count(diagnostics, e.code, true), `${file}:${d.range.start.line + 1} "${fix.title}" adds ${e.code}: ${e.message}`);
            assert.ok(errorKeys.has(`${e.code} ${e.message}`) || (e.plan !== undefined && errorKeys.has(`${e.code}@${e.plan}`)), `${file}:${d.range.start.line + 1} "${fix.title}" adds ${e.code} to job ${e.plan}: ${e.message}`);
          }
        }
      }
    });
  }
});
