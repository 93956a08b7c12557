// The language server as an editor drives it, over stdio: diagnostics with code, source, docs
// link and related lines; quick fixes from the diagnostics' data; the preferred fix applied and
// the file re-checked clean; fix-all; hover on suppression codes; pull diagnostics; settings.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { CodeAction, Diagnostic, Hover, TextEdit } from 'vscode-languageserver-protocol';
import { applyEdits } from '../../server/src/fixes/edits';
import { analyze, dedent } from '../helpers/analyze';
import { DEFAULT_CAPABILITIES, startClient, type Client } from './harness';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const BROKEN = dedent(`
  import nemo_run as run
  from nemo.collections import llm

  recipe = llm.llama3_70b.finetune_recipe(peft_scheme=None, num_nodes=3)
  recipe.trainer.max_steps = 100
  run.run(recipe)
`);

describe('language server over stdio', { timeout: 60_000 }, () => {
  let client: Client;
  before(async () => {
    client = await startClient();
  });
  after(async () => {
    await client.close();
  });

  it('publishes diagnostics with code, source, docs link and related information', async () => {
    const uri = 'file:///work/broken.py';
    const waiting = client.diagnostics(uri);
    client.open(uri, BROKEN);
    const [d] = await waiting;
    assert.ok(d);
    assert.equal(d.code, 'RL101');
    assert.equal(d.source, 'recipe-lens');
    assert.equal(d.severity, 1);
    assert.equal(d.codeDescription?.href, 'https://github.com/recipe-lens/recipe-lens/blob/main/docs/rules/world-size-not-divisible.md');
    assert.deepEqual(d.range.start, { line: 3, character: 58 });
    // No TP works on 24 GPUs with global batch 128 (DP 6 or 3 does not divide it): only 4 nodes.
    assert.equal(d.message, 'TP x PP x CP = 8 x 4 x 1 = 32 needs more GPUs than the world size 24 (3 nodes x 8 GPUs); or use 4 nodes');
    assert.ok(d.relatedInformation?.some((r) => r.location.uri === uri && /TP = 8/.test(r.message)));
  });

  it('offers quick fixes from the diagnostics, and the preferred one leaves the file clean', async () => {
    const uri = 'file:///work/fixme.py';
    const first = client.diagnostics(uri);
    client.open(uri, BROKEN);
    const diagnostics = await first;
    const actions = (await client.connection.sendRequest('textDocument/codeAction', {
      textDocument: { uri },
      range: diagnostics[0]!.range,
      context: { diagnostics, only: ['quickfix'] },
    })) as CodeAction[];
    assert.deepEqual(actions.map((a) => a.title), ['Set num_nodes to 4']);
    const preferred = actions.filter((a) => a.isPreferred);
    assert.equal(preferred.length, 1);
    // Plain `changes` edits (Neovim 0.7 does not read documentChanges).
    const edits = preferred[0]!.edit!.changes![uri]! as TextEdit[];
    const fixed = applyEdits(BROKEN, edits);
    assert.match(fixed, /peft_scheme=None, num_nodes=4\)/);
    const clean = client.diagnostics(uri, (_d, v) => v === 2);
    client.change(uri, 2, edits.map((e) => ({ range: e.range, text: e.newText })));
    assert.deepEqual(await clean, []);
  });

  it('fixes everything with source.fixAll.recipe-lens', async () => {
    const uri = 'file:///work/fixall.py';
    const text = BROKEN + 'other = llm.llama3_8b.pretrain_recipe(name="other")\nother.trainer.strategy.tensor_model_parallel_size = 3\n';
    const first = client.diagnostics(uri);
    client.open(uri, text);
    assert.ok((await first).length >= 2);
    const actions = (await client.connection.sendRequest('textDocument/codeAction', { textDocument: { uri }, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, context: { diagnostics: [], only: ['source.fixAll'] } })) as CodeAction[];
    assert.equal(actions.length, 1);
    assert.equal(actions[0]!.kind, 'source.fixAll.recipe-lens');
    const fixed = applyEdits(text, actions[0]!.edit!.changes![uri]! as TextEdit[]);
    const clean = client.diagnostics(uri, (_d, v) => v === 2);
    client.change(uri, 2, [{ text: fixed }]);
    assert.deepEqual(await clean, []);
  });

  it('re-analyses incrementally as the user types, ending with what the final text says', async () => {
    const uri = 'file:///work/typing.py';
    const base = 'from nemo.collections import llm\nrecipe = llm.llama3_8b.pretrain_recipe()\nrecipe.trainer.strategy.tensor_model_parallel_size = 2\n';
    const col = base.split('\n')[2]!.indexOf('2');
    const first = client.diagnostics(uri);
    client.open(uri, base);
    assert.deepEqual(await first, []);
    // Type "3", then replace it with "4": a burst of edits, then the final state only matters.
    const done = client.diagnostics(uri, (_d, v) => v === 4);
    const at = (from: number, to: number) => ({ start: { line: 2, character: from }, end: { line: 2, character: to } });
    client.change(uri, 2, [{ range: at(col, col + 1), text: '' }]);
    client.change(uri, 3, [{ range: at(col, col), text: '3' }]);
    client.change(uri, 4, [{ range: at(col, col + 1), text: '4' }]);
    assert.deepEqual(await done, []);
    const broken = client.diagnostics(uri, (_d, v) => v === 5);
    client.change(uri, 5, [{ range: at(col, col + 1), text: '3' }]);
    assert.deepEqual((await broken).map((d: Diagnostic) => d.code).sort(), ['RL101', 'RL201', 'RL202', 'RL203']);
  });

  it('shows the rule on hover over a code in a suppression comment, and reports unused ones', async () => {
    const uri = 'file:///work/suppressed.py';
    const text = BROKEN.replace('num_nodes=3)', 'num_nodes=3)  # noqa: RL101, RL205');
    const first = client.diagnostics(uri);
    client.open(uri, text);
    const diagnostics = await first;
    assert.deepEqual(diagnostics.map((d) => d.code), ['RL901']);
    assert.match(diagnostics[0]!.message as string, /RL205 is suppressed here but does not fire/);
    const line = text.split('\n')[3]!;
    const hover = (await client.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 3, character: line.indexOf('RL101') + 2 } })) as Hover;
    assert.match((hover.contents as unknown as { value: string }).value, /RL101 `world-size-not-divisible`/);
  });

  it('leaves Python files without NeMo alone', async () => {
    const uri = 'file:///work/plain.py';
    const waiting = client.diagnostics(uri);
    client.open(uri, 'import torch\nx = torch.zeros(3)\n');
    assert.deepEqual(await waiting, []);
  });
});

describe('language server with pull diagnostics and settings', { timeout: 60_000 }, () => {
  it('answers textDocument/diagnostic when the client pulls, following the settings', async () => {
    const client = await startClient({
      capabilities: { textDocument: { diagnostic: {}, publishDiagnostics: {} } },
      settings: { megatronCore: { version: '0.15' }, cluster: { gpusPerNode: 'eight' }, gpu: 'h300' },
    });
    try {
      const uri = 'file:///work/pull.py';
      client.open(uri, 'from nemo.collections import llm\nr = llm.llama3_8b.pretrain_recipe()\nr.trainer.strategy.tensor_model_parallel_size = 16\n');
      const report = (await client.connection.sendRequest('textDocument/diagnostic', { textDocument: { uri } })) as { items: Diagnostic[] };
      // 8 query groups are a divisor of TP 16: accepted from Megatron-Core 0.16, not by 0.15.
      assert.ok(report.items.some((d) => d.code === 'RL202' && /0\.15/.test(d.message as string)));
      // Related information is folded into the message for clients that do not support it.
      assert.ok(report.items.every((d) => d.relatedInformation === undefined));
      // The malformed cluster setting was reported once, visibly.
      assert.ok(client.messages.some((m) => /recipeLens\.cluster\.gpusPerNode/.test(m.message)));
      assert.ok(client.messages.some((m) => /recipeLens\.gpu: an id of the GPU catalog \(h100-80gb, /.test(m.message)));
    } finally {
      await client.close();
    }
  });

  it('reports only the selected rules, and ignore wins over select', async () => {
    const client = await startClient({ capabilities: { textDocument: { diagnostic: {}, publishDiagnostics: {} } }, settings: { select: ['RL2'], ignore: ['RL203'] } });
    try {
      const uri = 'file:///work/select.py';
      client.open(uri, 'from nemo.collections import llm\nr = llm.llama3_8b.pretrain_recipe()\nr.trainer.strategy.tensor_model_parallel_size = 3\n');
      const report = (await client.connection.sendRequest('textDocument/diagnostic', { textDocument: { uri } })) as { items: Diagnostic[] };
      // TP 3 on 8 GPUs: RL101 is not selected, RL203 is ignored; the other RL2xx remain.
      assert.deepEqual(report.items.map((d) => d.code).sort(), ['RL201', 'RL202']);
    } finally {
      await client.close();
    }
  });
});

describe('hover on values', { timeout: 60_000 }, () => {
  it('shows the layout and where the hovered value comes from', async () => {
    const client = await startClient();
    try {
      const uri = 'file:///work/hover.py';
      const text = dedent(`
        import argparse
        from nemo.collections import llm
        parser = argparse.ArgumentParser()
        parser.add_argument("--tp", type=int, default=2)
        args = parser.parse_args()
        recipe = llm.llama3_8b.pretrain_recipe(num_nodes=1)
        recipe.trainer.strategy.tensor_model_parallel_size = args.tp
      `);
      const first = client.diagnostics(uri);
      client.open(uri, text);
      await first;
      const hover = (await client.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 6, character: 30 } })) as Hover;
      const value = (hover.contents as unknown as { value: string }).value;
      assert.match(value, /\*\*llama3_8b\.pretrain_recipe\(\)\*\*/);
      assert.match(value, /W = 1 node\(s\) x 8 GPUs = 8 = TP 2 x PP 1 x CP 2 x DP 2/);
      assert.match(value, /`parallelism\.tp` = 2: the argparse default of --tp \(line 4\); it can be overridden on the command line/);
    } finally {
      await client.close();
    }
  });
});

describe('memory in the editor', { timeout: 60_000 }, () => {
  const FITS = dedent(`
    from nemo.collections import llm
    recipe = llm.llama3_8b.pretrain_recipe(num_nodes=2, num_gpus_per_node=8)
    recipe.trainer.strategy.tensor_model_parallel_size = 2
  `);
  const OVERRUN = dedent(`
    from nemo.collections import llm
    recipe = llm.llama3_8b.pretrain_recipe(num_nodes=1, num_gpus_per_node=8)
    recipe.data.micro_batch_size = 4
  `);

  let client: Client;
  before(async () => {
    client = await startClient({ capabilities: { ...DEFAULT_CAPABILITIES, workspace: { configuration: true, inlayHint: { refreshSupport: true }, codeLens: { refreshSupport: true } } } });
  });
  after(async () => {
    await client.close();
  });

  it('shows the memory breakdown of each pipeline stage on hover over a degree and over the recipe call', async () => {
    const uri = 'file:///work/memory-hover.py';
    const first = client.diagnostics(uri);
    client.open(uri, FITS);
    assert.deepEqual(await first, []);
    // The numbers the analysis core computes for the same text, shown as the hover shows them.
    const analysis = await analyze(FITS);
    const e = analysis.memory[0]!.estimate!;
    const gib = (x: number) => (x / 2 ** 30).toFixed(1);
    for (const position of [{ line: 2, character: 53 }, { line: 1, character: 20 }]) {
      const hover = (await client.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position })) as Hover;
      const value = (hover.contents as unknown as { value: string }).value;
      assert.match(value, /W = 2 node\(s\) x 8 GPUs = 16 = TP 2 x PP 1 x CP 2 x DP 4/);
      assert.ok(value.includes(`**Memory per GPU** on the NVIDIA H100 80GB HBM3 (SXM) (the default; set recipeLens.gpu or a \`# recipe-lens: gpu=...\` comment): ${gib(e.peakBytes)}/79.6 GiB`), value);
      for (const term of ['weights', 'gradients', 'optimizer', 'activations', 'overhead'] as const) assert.ok(value.includes(`| ${term} | ${gib(e.breakdown[term])} |`), `${term} row in\n${value}`);
      assert.ok(value.includes(`| **total** | **${gib(e.peakBytes)}** |`));
      assert.ok(value.includes('| capacity | 79.6 |'));
      assert.match(value, /The band is wider than the calibration's 5%: Transformer Engine's layers were not measured; context parallelism was not measured\./);
    }
    // 8.03 B parameters over TP 2 in bf16: the weights row is what the model counts.
    assert.equal(gib(e.breakdown.weights), '7.5');
  });

  it('puts an inlay hint after the recipe and a code lens above it', async () => {
    const uri = 'file:///work/memory-hints.py';
    const first = client.diagnostics(uri);
    client.open(uri, FITS);
    await first;
    const e = (await analyze(FITS)).memory[0]!.estimate!;
    const peak = `${(e.peakBytes / 2 ** 30).toFixed(1)}/79.6 GiB`;
    const hints = (await client.connection.sendRequest('textDocument/inlayHint', { textDocument: { uri }, range: { start: { line: 0, character: 0 }, end: { line: 3, character: 0 } } })) as { position: { line: number; character: number }; label: string }[];
    // After the recipe call, at the end of its line.
    assert.deepEqual(hints.map((h) => [h.position, h.label]), [[{ line: 1, character: FITS.split('\n')[1]!.length }, `DP=4 · ${peak}`]]);
    const lenses = (await client.connection.sendRequest('textDocument/codeLens', { textDocument: { uri } })) as { range: { start: { line: number } }; command: { title: string } }[];
    assert.equal(lenses.length, 1);
    assert.equal(lenses[0]!.range.start.line, 1);
    assert.equal(lenses[0]!.command.title, `W = 2 node(s) x 8 GPUs = 16 = TP 2 x PP 1 x CP 2 x DP 4 · peak ${peak} per GPU, ±15%`);
  });

  it('reports a job that overruns the GPU, and its preferred fix leaves the file clean', async () => {
    const uri = 'file:///work/memory-overrun.py';
    const first = client.diagnostics(uri);
    client.open(uri, OVERRUN);
    const diagnostics = await first;
    assert.deepEqual(diagnostics.map((d) => d.code), ['RL401']);
    assert.deepEqual(diagnostics[0]!.range.start, { line: 2, character: 0 });
    assert.match(diagnostics[0]!.message as string, /^estimated peak \d+\.\d GiB per GPU \(±15%\) exceeds the 79\.6 GiB of the NVIDIA H100 80GB HBM3 \(SXM\); the largest term is activations/);
    const actions = (await client.connection.sendRequest('textDocument/codeAction', { textDocument: { uri }, range: diagnostics[0]!.range, context: { diagnostics, only: ['quickfix'] } })) as CodeAction[];
    assert.ok(actions.length >= 1);
    const preferred = actions.filter((a) => a.isPreferred);
    assert.equal(preferred.length, 1);
    const edits = preferred[0]!.edit!.changes![uri]! as TextEdit[];
    const clean = client.diagnostics(uri, (_d, v) => v === 2);
    client.change(uri, 2, edits.map((e) => ({ range: e.range, text: e.newText })));
    assert.deepEqual(await clean, []);
  });

  it('estimates for the GPU of recipeLens.gpu, and a directive in the file wins', async () => {
    const other = await startClient({ settings: { gpu: 'b200' } });
    try {
      const uri = 'file:///work/memory-gpu.py';
      const first = other.diagnostics(uri);
      other.open(uri, OVERRUN);
      // 180 GiB of B200 memory: the job that overruns an H100 fits.
      assert.deepEqual(await first, []);
      const hover = (await other.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 2, character: 31 } })) as Hover;
      assert.match((hover.contents as unknown as { value: string }).value, /on the NVIDIA B200 \(HGX, SXM\) \(the recipeLens\.gpu setting\): \d+\.\d\/179\.1 GiB/);
      const directed = other.diagnostics(uri, (_d, v) => v === 2);
      other.change(uri, 2, [{ text: `# recipe-lens: gpu=h100\n${OVERRUN}` }]);
      assert.deepEqual((await directed).map((d) => d.code), ['RL401']);
    } finally {
      await other.close();
    }
  });
});

describe("the extension's own requests", { timeout: 60_000 }, () => {
  it('answers recipeLens/plan with every value and its source, and recipeLens/status with the layout line', async () => {
    const client = await startClient();
    try {
      const uri = 'file:///work/plan-view.py';
      const text = 'from nemo.collections import llm\nrecipe = llm.llama3_8b.pretrain_recipe(num_nodes=2, num_gpus_per_node=8)\nrecipe.trainer.strategy.tensor_model_parallel_size = 2\n';
      const first = client.diagnostics(uri);
      client.open(uri, text);
      await first;
      const plan = (await client.connection.sendRequest('recipeLens/plan', { textDocument: { uri } })) as { markdown: string };
      assert.match(plan.markdown, /^# Recipe Lens: plan-view\.py\n/);
      assert.match(plan.markdown, /## Job 1 \(line 2\): llama3_8b\.pretrain_recipe\(\)/);
      assert.match(plan.markdown, /\| `parallelism\.tp` \| 2 \| literal \(line 3\): literal \|/);
      assert.match(plan.markdown, /\| `parallelism\.cp` \| 2 \| recipe-default \(line 2\): set by llama3_8b\.pretrain_recipe\(\)/);
      assert.match(plan.markdown, /\*\*Memory per GPU\*\* on the NVIDIA H100 80GB HBM3 \(SXM\)/);
      const e = (await analyze(text)).memory[0]!.estimate!;
      const status = (await client.connection.sendRequest('recipeLens/status', { textDocument: { uri } })) as { text: string; detail: string; severity: string };
      assert.deepEqual(status, { text: `TP2 PP1 DP4 · ${(e.peakBytes / 2 ** 30).toFixed(1)}/79.6 GiB`, detail: 'llama3_8b.pretrain_recipe()', severity: 'information' });
    } finally {
      await client.close();
    }
  });

  it('turns inlay hints and code lenses off when the settings say so, and severities follow their overrides', async () => {
    const client = await startClient({ settings: { inlayHints: { enable: false }, codeLens: { enable: false }, severity: { RL401: 'warning' } } });
    try {
      const uri = 'file:///work/settings-off.py';
      const first = client.diagnostics(uri);
      client.open(uri, 'from nemo.collections import llm\nrecipe = llm.llama3_8b.pretrain_recipe(num_nodes=1, num_gpus_per_node=8)\nrecipe.data.micro_batch_size = 4\n');
      const diagnostics = await first;
      assert.deepEqual(diagnostics.map((d) => [d.code, d.severity]), [['RL401', 2]]);
      const range = { start: { line: 0, character: 0 }, end: { line: 3, character: 0 } };
      assert.deepEqual(await client.connection.sendRequest('textDocument/inlayHint', { textDocument: { uri }, range }), []);
      assert.deepEqual(await client.connection.sendRequest('textDocument/codeLens', { textDocument: { uri } }), []);
    } finally {
      await client.close();
    }
  });
});

describe('layouts in the editor', { timeout: 60_000 }, () => {
  const OVERRUN = 'from nemo.collections import llm\nrecipe = llm.llama3_8b.pretrain_recipe(num_nodes=1, num_gpus_per_node=8)\nrecipe.data.micro_batch_size = 4\n';

  it('offers the best valid layout as a quick fix, proven, which leaves the file clean', async () => {
    const client = await startClient();
    try {
      const uri = 'file:///work/best-layout.py';
      const first = client.diagnostics(uri);
      client.open(uri, OVERRUN);
      const diagnostics = await first;
      const actions = (await client.connection.sendRequest('textDocument/codeAction', { textDocument: { uri }, range: diagnostics[0]!.range, context: { diagnostics, only: ['quickfix'] } })) as CodeAction[];
      const best = actions.find((a) => a.title.startsWith('Apply the best valid layout that fits: '));
      assert.ok(best, actions.map((a) => a.title).join(' | '));
      assert.match(best.title, /^Apply the best valid layout that fits: TP \d+, PP \d+, VP [-\d]+, CP \d+.*\(DP \d+, \d+\.\d GiB\)$/);
      assert.equal(best.isPreferred, false);
      const clean = client.diagnostics(uri, (_d, v) => v === 2);
      const edits = best.edit!.changes![uri]! as TextEdit[];
      client.change(uri, 2, [{ text: applyEdits(OVERRUN, edits) }]);
      assert.deepEqual(await clean, []);
    } finally {
      await client.close();
    }
  });

  it('answers recipeLens/layouts with ranked rows and their edits, and adds an Explore lens for clients that run it', async () => {
    const client = await startClient({ settings: undefined, capabilities: DEFAULT_CAPABILITIES, initializationOptions: { clientCommands: ['recipeLens.exploreLayouts'] } });
    try {
      const uri = 'file:///work/explore.py';
      const first = client.diagnostics(uri);
      client.open(uri, OVERRUN);
      await first;
      const r = (await client.connection.sendRequest('recipeLens/layouts', { textDocument: { uri }, job: 0 })) as { rows: { title: string; stepSeconds: number; roomy: boolean; changes: string; edit: { changes: Record<string, TextEdit[]> } }[] };
      assert.ok(r.rows.length >= 3 && r.rows.length <= 10, `${r.rows.length} rows`);
      for (const [i, row] of r.rows.entries()) {
        if (i > 0) assert.ok(Number(row.roomy) < Number(r.rows[i - 1]!.roomy) || row.stepSeconds >= r.rows[i - 1]!.stepSeconds);
        // Each row's edit, applied, leaves no error.
        const fixed = applyEdits(OVERRUN, row.edit.changes[uri]!);
        assert.deepEqual((await analyze(fixed)).diagnostics.filter((d) => d.severity === 'error'), [], row.title);
      }
      const lenses = (await client.connection.sendRequest('textDocument/codeLens', { textDocument: { uri } })) as { command: { title: string; command: string; arguments?: unknown[] } }[];
      assert.deepEqual(lenses.map((l) => l.command.command), ['', 'recipeLens.exploreLayouts']);
      assert.deepEqual(lenses[1]!.command.arguments, [uri, 0]);
    } finally {
      await client.close();
    }
  });
});

describe('a Megatron-Bridge recipe in a workspace', { timeout: 60_000 }, () => {
  // A workspace that pins Bridge 0.3.0 (whose recipes take keyword arguments) and launches the
  // recipe on 8 GPUs from a shell script; the Hugging Face cache is the fixture's.
  const RECIPE = dedent(`
    from megatron.bridge.recipes.llama import llama3_8b_pretrain_config
    from megatron.bridge.training.gpt_step import forward_step
    from megatron.bridge.training.pretrain import pretrain

    cfg = llama3_8b_pretrain_config(tensor_model_parallel_size=3)
    pretrain(cfg, forward_step)
  `);
  let root: string;
  let client: Client;
  let uri: string;
  before(async () => {
    root = mkdtempSync(join(tmpdir(), 'recipe-lens-bridge-'));
    mkdirSync(join(root, 'scripts'));
    writeFileSync(join(root, 'requirements.txt'), 'torch\nmegatron-bridge==0.3.0\n');
    writeFileSync(join(root, 'scripts', 'launch.sh'), '#!/bin/bash\ntorchrun --nproc_per_node=8 train.py "$@"\n');
    writeFileSync(join(root, 'train.py'), RECIPE);
    uri = pathToFileURL(join(root, 'train.py')).href;
    const capabilities = { ...DEFAULT_CAPABILITIES, workspace: { configuration: false, didChangeWatchedFiles: { dynamicRegistration: true } } };
    client = await startClient({ rootUri: pathToFileURL(root).href, capabilities, env: { HF_HUB_CACHE: join(__dirname, '..', 'fixtures', 'hf-cache') } });
  });
  after(async () => {
    await client.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('reports the layout against the world of the launch script, and its fix leaves the file clean', async () => {
    const first = client.diagnostics(uri);
    client.open(uri, RECIPE);
    const diagnostics = await first;
    assert.deepEqual(diagnostics.map((d) => d.code).sort(), ['RL101', 'RL201', 'RL202', 'RL203']);
    const world = diagnostics.find((d) => d.code === 'RL101')!;
    assert.equal(world.message, 'world size 8 (1 node x 8 GPUs) is not divisible by TP x PP x CP = 3 x 1 x 2 = 6; the TP values every rule accepts here are 1, 2 and 4');
    // The argument the user wrote: 0.3.0's recipe takes it.
    assert.deepEqual(world.range.start, { line: 4, character: 32 });
    const actions = (await client.connection.sendRequest('textDocument/codeAction', { textDocument: { uri }, range: world.range, context: { diagnostics: [world], only: ['quickfix'] } })) as CodeAction[];
    const preferred = actions.find((a) => a.isPreferred)!;
    assert.equal(preferred.title, 'Set tensor_model_parallel_size to 2');
    const edits = preferred.edit!.changes![uri]! as TextEdit[];
    assert.match(applyEdits(RECIPE, edits), /llama3_8b_pretrain_config\(tensor_model_parallel_size=2\)/);
    const clean = client.diagnostics(uri, (_d, v) => v === 2);
    client.change(uri, 2, edits.map((e) => ({ range: e.range, text: e.newText })));
    assert.deepEqual(await clean, []);
  });

  it('hovers with the memory per GPU, the version assumed and where the world comes from', async () => {
    const hover = (await client.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 4, character: 10 } })) as Hover;
    const value = (hover.contents as unknown as { value: string }).value;
    assert.match(value, /W = 1 node\(s\) x 8 GPUs = 8 = TP 2 x PP 1 x CP 2 x DP 2/);
    assert.ok(value.includes('recipes of Megatron-Bridge 0.2 to 0.3.0 (era B), assumed from Megatron-Bridge 0.3.0 (pinned in requirements.txt line 2)'), value);
    assert.match(value, /\*\*Memory per GPU\*\* on the NVIDIA H100 80GB HBM3 \(SXM\)/);
    assert.match(value, /\| weights \| \d+\.\d \|/);
  });

  it('watches launch scripts: a new world size re-checks the open recipe', async () => {
    assert.ok(client.registrations.includes('workspace/didChangeWatchedFiles'));
    writeFileSync(join(root, 'scripts', 'launch.sh'), '#!/bin/bash\ntorchrun --nproc_per_node=6 train.py "$@"\n');
    const again = client.diagnostics(uri, (d) => d.some((x) => x.code === 'RL101'));
    void client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: pathToFileURL(join(root, 'scripts', 'launch.sh')).href, type: 2 }] });
    const [d] = await again;
    assert.match(d!.message as string, /^world size 6 \(1 node x 6 GPUs\) is not divisible by TP x PP x CP = 2 x 1 x 2 = 4/);
  });
});
