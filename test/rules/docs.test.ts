// docs/rules/ is generated from the rules' metadata (npm run docs); it must not drift, and every
// rule must have the documentation a user needs.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { RULE_DOCS } from '../../server/src/rules/registry';
import { ruleIndex, rulePage } from '../../scripts/ruleDocs';

const DIR = join(__dirname, '..', '..', 'docs', 'rules');

describe('rule documentation', () => {
  it('has stable, unique codes and kebab-case names', () => {
    const codes = RULE_DOCS.map((r) => r.code);
    const names = RULE_DOCS.map((r) => r.name);
    assert.equal(new Set(codes).size, codes.length);
    assert.equal(new Set(names).size, names.length);
    for (const r of RULE_DOCS) {
      assert.match(r.code, /^RL\d{3}$/);
      assert.match(r.name, /^[a-z0-9]+(-[a-z0-9]+)*$/);
      for (const [part, text] of Object.entries(r.docs)) assert.ok(text.length > 20, `${r.code} docs.${part} is too short`);
    }
  });

  for (const rule of RULE_DOCS) {
    it(`docs/rules/${rule.name}.md matches ${rule.code}'s metadata`, () => {
      const path = join(DIR, `${rule.name}.md`);
      assert.ok(existsSync(path), `${path} is missing: run npm run docs`);
      assert.equal(readFileSync(path, 'utf8'), rulePage(rule), 'run npm run docs');
    });
  }

  it('has an index listing every rule and no stale page', () => {
    assert.equal(readFileSync(join(DIR, 'README.md'), 'utf8'), ruleIndex());
    const pages = readdirSync(DIR).filter((f) => f !== 'README.md');
    assert.deepEqual(pages.sort(), RULE_DOCS.map((r) => `${r.name}.md`).sort());
  });
});
