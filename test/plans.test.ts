// Runs every fixture in test/fixtures/plans/: Python files whose comments state what the
// resolved plans must hold. The syntax of an expectation comment:
//
//   # plans: 3                                   the file defines exactly 3 plans
//   # plan: parallelism.tp = 8 [literal]         plan 1: value 8, set by a literal on this line
//   # plan 2: world.nodes = ? "NODES"             plan 2: unknown, the reason mentions NODES
//   # plan: batch.global = 512 [recipe-default@12]  provenance points at line 12
//
// A [source] check also checks the line: the value's provenance range, or the assignment that
// stored it, must be on the comment's line (or on the line given after @).
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { analyze, field, surroundingsOf } from './helpers/analyze';

const DIR = join(__dirname, 'fixtures', 'plans');

interface Expectation {
  line: number;
  plan: number;
  path: string;
  value: unknown;
  unknownReason?: string;
  source?: string;
  sourceLine?: number;
}

function parseExpectations(text: string): { count?: number; expectations: Expectation[] } {
  const expectations: Expectation[] = [];
  let count: number | undefined;
  text.split('\n').forEach((lineText, i) => {
    const countMatch = /#\s*plans:\s*(\d+)/.exec(lineText);
    if (countMatch) count = Number(countMatch[1]);
    const m = /#\s*plan(?:\s+(\d+))?:\s*(.*)$/.exec(lineText);
    if (!m) return;
    for (const clause of m[2]!.split(';')) {
      // The optional [source@line] suffix is a word in brackets; strip it first, so that values
      // may be JSON lists.
      const suffix = /\s*\[([a-z][\w-]*)(?:@(\d+))?\]\s*$/.exec(clause);
      const body = suffix ? clause.slice(0, suffix.index) : clause;
      const c = /^\s*([\w.]+)\s*=\s*(\?(?:\s*"([^"]*)")?|.+?)\s*$/.exec(body);
      if (!c) throw new Error(`line ${i + 1}: cannot read expectation "${clause}"`);
      const [, path, raw, reason] = c;
      const [, source, at] = suffix ?? [];
      const isUnknown = raw!.startsWith('?');
      expectations.push({
        line: i + 1,
        plan: m[1] ? Number(m[1]) : 1,
        path: path!,
        value: isUnknown ? undefined : JSON.parse(raw!),
        ...(isUnknown ? { unknownReason: reason ?? '' } : {}),
        ...(source ? { source, sourceLine: at ? Number(at) : i + 1 } : {}),
      });
    }
  });
  return { count, expectations };
}

describe('plan fixtures', () => {
  const files = readdirSync(DIR).filter((f) => f.endsWith('.py')).sort();
  it('has fixtures', () => assert.ok(files.length > 0));
  for (const file of files) {
    it(file, async () => {
      const text = readFileSync(join(DIR, file), 'utf8');
      const { count, expectations } = parseExpectations(text);
      assert.ok(count !== undefined || expectations.length > 0, 'the fixture states no expectation');
      const { plans } = await analyze(text, { surroundings: surroundingsOf(text) });
      if (count !== undefined) assert.equal(plans.length, count, `number of plans`);
      for (const e of expectations) {
        const where = `${file}:${e.line} plan ${e.plan} ${e.path}`;
        const plan = plans[e.plan - 1];
        assert.ok(plan, `${where}: there are only ${plans.length} plans`);
        const f = field(plan, e.path);
        if (e.unknownReason !== undefined) {
          assert.notEqual(f.unknown, undefined, `${where}: expected unknown, got ${JSON.stringify(f.value)}`);
          assert.ok(f.unknown!.includes(e.unknownReason), `${where}: reason "${f.unknown}" does not mention "${e.unknownReason}"`);
          continue;
        }
        assert.equal(f.unknown, undefined, `${where}: expected ${JSON.stringify(e.value)}, got unknown (${f.unknown})`);
        assert.deepEqual(f.value, e.value, `${where}: value`);
        if (e.source) {
          assert.equal(f.prov?.source, e.source, `${where}: provenance source (${f.prov?.detail})`);
          const lines = [f.prov?.range?.start.line, f.prov?.assignedAt?.start.line].filter((l) => l !== undefined).map((l) => l! + 1);
          assert.ok(lines.includes(e.sourceLine!), `${where}: provenance points at lines ${lines.join(', ')}, expected ${e.sourceLine}`);
        }
      }
    });
  }
});
