// Every example says in its header which diagnostics it must produce:
//   # Expected diagnostics: none ...
//   # Expected diagnostics: RL101 (line 10), RL102 (line 15) ...
// and produces exactly those.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { analyze } from '../helpers/analyze';

const DIR = join(__dirname, '..', '..', 'examples');

describe('examples', () => {
  for (const file of readdirSync(DIR).filter((f) => f.endsWith('.py')).sort()) {
    it(file, async () => {
      const text = readFileSync(join(DIR, file), 'utf8');
      const header = /^# Expected diagnostics: (.*)$/m.exec(text);
      assert.ok(header, 'the example has no "# Expected diagnostics:" header');
      const expected = header[1]!.startsWith('none') ? [] : [...header[1]!.matchAll(/(RL\d{3}) \(line (\d+)\)/g)].map((m) => `${m[1]}@${m[2]}`);
      const { diagnostics } = await analyze(text);
      const actual = diagnostics.map((d) => `${d.code}@${d.range.start.line + 1}`);
      assert.deepEqual(actual.sort(), expected.sort(), diagnostics.map((d) => d.message).join('\n'));
    });
  }
});
