// Renders docs/rules/ from the rules' own metadata: one page per rule and an index. Run
// `npm run docs` after changing a rule; test/rules/docs.test.ts fails when the pages drift.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RULE_DOCS } from '../server/src/rules/registry';
import type { RuleDoc } from '../server/src/rules/rule';

const STAGES: Record<RuleDoc['stage'], string> = {
  init: 'before the first step, while NeMo and Megatron-Core set up (the job is refused at start)',
  build: 'while the model is built, before the first step',
  runtime: 'at the first training step',
  launch: 'when the job is launched',
  silent: 'never: the job runs, but not as configured',
};

export function rulePage(rule: RuleDoc): string {
  return [
    `# ${rule.code} \`${rule.name}\``,
    '',
    `${rule.summary}`,
    '',
    `Default severity: **${rule.severity}**. Where it would fail: ${STAGES[rule.stage]}.`,
    '',
    '## What it does',
    '',
    rule.docs.what,
    '',
    '## Why it matters',
    '',
    rule.docs.why,
    '',
    '## Example',
    '',
    '```python',
    rule.docs.example,
    '```',
    '',
    '## How to fix it',
    '',
    rule.docs.fix,
    '',
    `To silence it on one line: \`# noqa: ${rule.code}\` or \`# recipe-lens: ignore[${rule.code}]\`.`,
    '',
    '## References',
    '',
    rule.docs.references,
    '',
  ].join('\n');
}

export function ruleIndex(): string {
  const rows = RULE_DOCS.map((r) => `| [${r.code}](${r.name}.md) | \`${r.name}\` | ${r.severity} | ${r.summary.replace(/\|/g, '\\|')} |`);
  return ['# Rules', '', 'Every diagnostic Recipe Lens reports. Codes are stable; the hundreds digit is the area: 1 world and launch, 2 model shapes, 3 batch, 9 Recipe Lens itself.', '', '| code | name | default severity | summary |', '| --- | --- | --- | --- |', ...rows, ''].join('\n');
}

export function writeRuleDocs(dir: string): void {
  mkdirSync(dir, { recursive: true });
  for (const rule of RULE_DOCS) writeFileSync(join(dir, `${rule.name}.md`), rulePage(rule));
  writeFileSync(join(dir, 'README.md'), ruleIndex());
}

if (require.main === module) writeRuleDocs(join(__dirname, '..', 'docs', 'rules'));
