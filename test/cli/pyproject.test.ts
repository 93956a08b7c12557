// [tool.recipe-lens] in pyproject.toml: found from the current directory upwards (stopping at the
// repository's root), validated by the settings schema with unknown keys refused, and overridden
// by the command-line flags.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { cliIn, removeTempProjects, ROOT, tempProject } from './spawnCli';

after(removeTempProjects);

const RL101 = /recipe\.py:10:5: RL101 \[error\]/;

const example = (name: string) => join(ROOT, 'examples', name);

function checkIn(dir: string, ...args: string[]) {
  return cliIn({ cwd: dir }, 'check', ...args);
}

describe('[tool.recipe-lens] in pyproject.toml', () => {
  it('applies the nearest table, from a folder below, passing over a pyproject.toml without one', () => {
    const dir = tempProject({ 'pyproject.toml': '[tool.recipe-lens]\nignore = ["RL101"]\n', 'sub/pyproject.toml': '[project]\nname = "x"\n', 'sub/recipe.py': null });
    const r = checkIn(join(dir, 'sub'), 'recipe.py');
    assert.equal(r.code, 0, r.stderr);
    assert.doesNotMatch(r.stdout, /RL101/);
    assert.ok(r.stdout.endsWith('\nAll checks passed!\n'));
  });

  it('looks no further than the folder holding .git', () => {
    const dir = tempProject({ 'pyproject.toml': '[tool.recipe-lens]\nignore = ["RL101"]\n', 'repo/.git/HEAD': '', 'repo/recipe.py': null });
    const r = checkIn(join(dir, 'repo'), 'recipe.py');
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stdout, RL101);
  });

  it('reads severity overrides (which set the exit code), the cluster, and prefixes in select', () => {
    const dir = tempProject({
      'pyproject.toml': '[tool.recipe-lens]\nselect = ["RL1"]\nseverity = { RL101 = "warning" }\n\n[tool.recipe-lens.cluster]\ngpusPerNode = 4\n',
      'recipe.py': null,
    });
    const r = checkIn(dir, 'recipe.py');
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stdout, /recipe\.py:10:5: RL101 \[warning\] TP x PP x CP = 8 x 4 x 1 = 32 needs more GPUs/);
    assert.match(r.stdout, /recipe\.py:11:5: RL105 \[error\] devices = 8 GPUs per node, but the configured cluster has 4 per node\n/);
    assert.ok(r.stdout.endsWith('\nFound 1 error and 2 warnings.\n'), r.stdout);
    const warningOnly = tempProject({ 'pyproject.toml': '[tool.recipe-lens]\nseverity.RL101 = "warning"\n', 'recipe.py': null });
    assert.equal(checkIn(warningOnly, 'recipe.py').code, 0);
  });

  it('takes the Megatron-Bridge version, and says where it came from', () => {
    const dir = tempProject({ 'pyproject.toml': '[tool.recipe-lens]\nbridge.version = "0.5.1"\n' });
    const r = checkIn(dir, example('qwen3_8b_bridge_pretrain.py'));
    assert.match(r.stdout, /bridge {5}recipes of Megatron-Bridge 0\.3\.1 to 0\.5 \(era C\), assumed from Megatron-Bridge 0\.5\.1 \(\[tool\.recipe-lens\] bridge\.version in pyproject\.toml\)/);
  });

  it('lets the flags win: --ignore, --select, --gpu and --bridge-version replace the file\'s values', () => {
    const dir = tempProject({ 'pyproject.toml': '[tool.recipe-lens]\nignore = ["RL101"]\nselect = ["RL4"]\ngpu = "h200"\nbridge.version = "0.5.1"\n', 'recipe.py': null });
    assert.doesNotMatch(checkIn(dir, 'recipe.py').stdout, /RL1/);
    assert.doesNotMatch(checkIn(dir, '--ignore', 'RL401', 'recipe.py').stdout, /RL101/, 'select RL4 still applies');
    assert.match(checkIn(dir, '--select', 'RL1', '--ignore', 'RL4', 'recipe.py').stdout, RL101);
    const plan = (...args: string[]) => JSON.parse(checkIn(dir, '--format', 'json', ...args, example('llama3_8b_pretrain_oom.py')).stdout).files[0].plans[0];
    assert.equal(plan().memory.gpu, 'h200-141gb');
    assert.equal(plan('--gpu', 'a100-80gb').memory.gpu, 'a100-80gb');
    const bridge = checkIn(dir, '--bridge-version', '0.3.0', example('qwen3_8b_bridge_pretrain.py'));
    assert.match(bridge.stdout, /assumed from Megatron-Bridge 0\.3\.0 \(--bridge-version\)/);
  });

  it('reads the file --config names, and none with --no-config', () => {
    const dir = tempProject({ 'ci.toml': '[tool.recipe-lens]\nignore = ["RL101"]\n', 'pyproject.toml': '[tool.recipe-lens]\ngpu = "nonsense"\n', 'recipe.py': null });
    assert.equal(checkIn(dir, '--config', 'ci.toml', 'recipe.py').code, 0);
    assert.match(checkIn(dir, '--config', 'ci.toml', '--no-config', 'recipe.py').stderr, /^recipe-lens: --config and --no-config contradict each other; give one\n$/);
    const none = checkIn(dir, '--no-config', 'recipe.py');
    assert.equal(none.code, 1, none.stderr);
    assert.match(none.stdout, RL101);
    assert.equal(checkIn(dir, '--config', 'missing.toml', 'recipe.py').stderr, 'recipe-lens: --config: missing.toml: no such file\n');
  });

  const invalid: [string, string][] = [
    ['cluster = { gpusPernode = 8 }', 'cluster.gpusPernode: not a setting; the settings are gpu, select, ignore, severity, cluster.gpusPerNode, megatronCore.version, bridge.version'],
    ['inlayHints.enable = false', 'inlayHints: not a setting; the settings are gpu, select, ignore, severity, cluster.gpusPerNode, megatronCore.version, bridge.version'],
    ['gpu = "h300"', 'gpu: expected an id of the GPU catalog (h100-80gb, h100-nvl-94gb, h200-141gb, b200, gb200, a100-40gb, a100-80gb, l40s), not "h300"'],
    ['cluster.gpusPerNode = "8"', 'cluster.gpusPerNode: expected a number, not "8"'],
    ['cluster.gpusPerNode = 0', 'cluster.gpusPerNode: expected more than 0, not 0'],
    ['ignore = "RL101"', 'ignore: expected an array, not "RL101"'],
    ['ignore = ["RL101", "E501"]', 'ignore[1]: expected a rule code such as "RL402", not "E501"'],
    ['select = ["RL7"]', 'select[0]: "RL7" names no rule; docs/rules/README.md lists the codes'],
    ['severity = { RL101 = "fatal" }', 'severity.RL101: expected one of "error", "warning", "information", "hint", not "fatal"'],
    ['megatronCore.version = 0.15', 'megatronCore.version: expected a string, not 0.15'],
  ];
  for (const [line, message] of invalid) {
    it(`refuses \`${line}\`, naming the file and the key`, () => {
      const dir = tempProject({ 'pyproject.toml': `[tool.recipe-lens]\n${line}\n`, 'sub/recipe.py': null });
      const r = checkIn(join(dir, 'sub'), 'recipe.py');
      assert.equal(r.code, 2);
      assert.equal(r.stderr, `recipe-lens: ../pyproject.toml: [tool.recipe-lens] ${message}\n`);
      assert.equal(r.stdout, '');
    });
  }

  it('refuses a file that is not TOML, with the line and column', () => {
    const dir = tempProject({ 'pyproject.toml': '[tool.recipe-lens]\ngpu = \n', 'recipe.py': null });
    const r = checkIn(dir, 'recipe.py');
    assert.equal(r.code, 2);
    assert.equal(r.stderr, 'recipe-lens: pyproject.toml:2:7: not valid TOML: invalid value\n');
  });
});
