// `check --format sarif`: a SARIF 2.1.0 log that code scanning accepts. The shape is checked
// property by property against what the specification requires, and one known diagnostic (the
// broken-world example's RL101) against its 1-based positions, related locations and fix.
import assert from 'node:assert/strict';
import { symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, describe, it } from 'node:test';
import { RULE_DOCS } from '../../server/src/rules/registry';
import { BROKEN_WORLD, cli, cliIn, removeTempProjects, ROOT, tempProject } from './spawnCli';

const { version } = require('../../package.json') as { version: string };
const LEVELS = { error: 'error', warning: 'warning', information: 'note', hint: 'note' } as const;

// The parts of a SARIF log these tests read.
interface Region {
  startLine: number;
  startColumn: number;
  endLine: number;
  endColumn: number;
}
interface Location {
  physicalLocation: { artifactLocation: { uri: string; uriBaseId?: string }; region?: Region };
}
interface Result {
  ruleId: string;
  ruleIndex: number;
  level: string;
  message: { text: string };
  locations: Location[];
  relatedLocations?: (Location & { id: number; message: { text: string } })[];
  fixes?: unknown[];
}
interface RuleDescriptor {
  id: string;
  name: string;
  shortDescription: { text: string };
  fullDescription: { text: string };
  helpUri: string;
  help: { text: string; markdown: string };
  defaultConfiguration: { level: string };
}
interface Run {
  tool: { driver: { name: string; version: string; informationUri: string; rules: RuleDescriptor[] } };
  columnKind: string;
  originalUriBaseIds: Record<string, { uri: string }>;
  invocations: { executionSuccessful: boolean; toolExecutionNotifications: (Location & { level: string; message: { text: string } })[] }[];
  results: Result[];
}

function sarif(r: { stdout: string }): { $schema: string; version: string; runs: Run[] } {
  return JSON.parse(r.stdout);
}

after(removeTempProjects);

describe('check --format sarif', () => {
  it('describes every rule in the driver, with its docs and default level', () => {
    const r = cli('check', '--format', 'sarif', 'examples/llama3_70b_pretrain_slurm.py');
    assert.equal(r.code, 0, r.stderr);
    const log = sarif(r);
    assert.equal(log.$schema, 'https://json.schemastore.org/sarif-2.1.0.json');
    assert.equal(log.version, '2.1.0');
    assert.equal(log.runs.length, 1);
    const [run] = log.runs;
    const { driver } = run!.tool;
    assert.equal(driver.name, 'recipe-lens');
    assert.equal(driver.version, version);
    assert.equal(driver.informationUri, 'https://github.com/recipe-lens/recipe-lens');
    assert.deepEqual(driver.rules.map((rule) => rule.id), RULE_DOCS.map((d) => d.code));
    for (const [i, rule] of driver.rules.entries()) {
      const doc = RULE_DOCS[i]!;
      assert.equal(rule.name, doc.name);
      assert.deepEqual(rule.shortDescription, { text: doc.summary });
      assert.deepEqual(rule.fullDescription, { text: doc.docs.what });
      assert.equal(rule.helpUri, `https://github.com/recipe-lens/recipe-lens/blob/main/docs/rules/${doc.name}.md`);
      assert.ok(rule.help.text.includes(doc.docs.fix) && rule.help.markdown.includes(`](${rule.helpUri})`), doc.code);
      assert.deepEqual(rule.defaultConfiguration, { level: LEVELS[doc.severity] });
    }
    assert.equal(run!.columnKind, 'utf16CodeUnits');
    assert.equal(run!.originalUriBaseIds['%SRCROOT%']!.uri, `${pathToFileURL(ROOT).href}/`);
    assert.deepEqual(run!.invocations, [{ executionSuccessful: true, toolExecutionNotifications: [] }]);
    assert.deepEqual(run!.results, []);
  });

  it('gives a result 1-based positions, its related locations and its fix as replacements', () => {
    const r = cli('check', '--format', 'sarif', 'examples/llama3_70b_sft_broken_world.py');
    assert.equal(r.code, 1, r.stderr);
    const [run] = sarif(r).runs;
    assert.equal(run!.results.length, 1);
    const [result] = run!.results;
    const artifactLocation = { uri: 'examples/llama3_70b_sft_broken_world.py', uriBaseId: '%SRCROOT%' };
    // In --format json the same diagnostic is 0-based: line 9, characters 4 to 15.
    assert.deepEqual(result, {
      ruleId: 'RL101',
      ruleIndex: RULE_DOCS.findIndex((d) => d.code === 'RL101'),
      level: 'error',
      message: { text: 'TP x PP x CP = 8 x 4 x 1 = 32 needs more GPUs than the world size 24 (3 nodes x 8 GPUs); or use 4 nodes' },
      locations: [{ physicalLocation: { artifactLocation, region: { startLine: 10, startColumn: 5, endLine: 10, endColumn: 16 } } }],
      relatedLocations: [
        {
          id: 1,
          message: { text: 'TP = 8 (set by llama3_70b.finetune_recipe() (nemo/collections/llm/recipes/llama3_70b.py at NVIDIA/NeMo@8cfedd72))' },
          physicalLocation: { artifactLocation, region: { startLine: 7, startColumn: 10, endLine: 13, endColumn: 2 } },
        },
        { id: 2, message: { text: 'devices = 8 is set here' }, physicalLocation: { artifactLocation, region: { startLine: 11, startColumn: 5, endLine: 11, endColumn: 24 } } },
      ],
      fixes: [
        {
          description: { text: "Set num_nodes and the executor's nodes to 4" },
          artifactChanges: [
            {
              artifactLocation,
              replacements: [
                { deletedRegion: { startLine: 10, startColumn: 15, endLine: 10, endColumn: 16 }, insertedContent: { text: '4' } },
                { deletedRegion: { startLine: 17, startColumn: 70, endLine: 17, endColumn: 71 }, insertedContent: { text: '4' } },
              ],
            },
          ],
        },
      ],
    });
  });

  it('gives every result the properties SARIF requires, and a ruleIndex pointing at its rule', () => {
    const r = cli('check', '--format', 'sarif', 'examples');
    assert.equal(r.code, 1, r.stderr);
    const [run] = sarif(r).runs;
    assert.equal(run!.results.length, 6);
    for (const result of run!.results) {
      assert.equal(run!.tool.driver.rules[result.ruleIndex]!.id, result.ruleId);
      assert.ok(['error', 'warning', 'note'].includes(result.level));
      assert.equal(typeof result.message.text, 'string');
      const { artifactLocation, region } = result.locations[0]!.physicalLocation;
      assert.match(artifactLocation.uri, /^examples\/[a-z0-9_]+\.py$/);
      assert.ok(region!.startLine >= 1 && region!.startColumn >= 1 && region!.endLine >= region!.startLine && region!.endColumn >= 1);
    }
  });

  it('reports the level of a severity override, and a file outside the current directory by file URI', () => {
    const dir = tempProject({ 'pyproject.toml': '[tool.recipe-lens]\nseverity = { RL101 = "hint" }\n' });
    const r = cliIn({ cwd: dir }, 'check', '--format', 'sarif', BROKEN_WORLD);
    assert.equal(r.code, 0, r.stderr);
    const [result] = sarif(r).runs[0]!.results;
    assert.equal(result!.level, 'note');
    assert.deepEqual(result!.locations[0]!.physicalLocation.artifactLocation, { uri: pathToFileURL(BROKEN_WORLD).href });
  });

  it('lists a file that cannot be read as an error notification, the run unsuccessful', () => {
    const dir = tempProject({ 'recipe.py': null });
    symlinkSync(join(dir, 'gone.py'), join(dir, 'link.py'));
    const r = cliIn({ cwd: dir }, 'check', '--format', 'sarif', 'link.py', 'recipe.py');
    assert.equal(r.code, 1);
    const [run] = sarif(r).runs;
    assert.deepEqual(run!.invocations, [
      {
        executionSuccessful: false,
        toolExecutionNotifications: [{ level: 'error', message: { text: 'link.py: cannot be read (broken symbolic link)' }, locations: [{ physicalLocation: { artifactLocation: { uri: 'link.py', uriBaseId: '%SRCROOT%' } } }] }],
      },
    ]);
    assert.deepEqual(run!.results.map((x) => x.ruleId), ['RL101']);
  });
});
