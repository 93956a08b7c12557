// Real VS Code, end to end: code-server (VS Code's server and web workbench, with the real Node
// extension host) with Recipe Lens installed from the built .vsix, driven by Debian's Chromium.
// The probe extension (probe/) checks diagnostics, hover, inlay hints, code lenses and the quick
// fix through VS Code's API; this harness shows the page, hovers the squiggle with the mouse and
// takes the screenshot. Nothing leaves the machine: the gallery and proxies point at a closed
// local port.
//
//   node test/e2e/code-server/run.mjs --code-server BIN --vsix FILE [--screenshots DIR]
// With --screenshots, DIR/editor.png shows the squiggle, the inlay hint and the code lens, and
// DIR/hover.png the hover over the squiggle, scrolled to its memory table.
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { get } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..', '..', '..');
const arg = (name, fallback) => (process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : fallback);
const codeServer = arg('--code-server');
const vsix = arg('--vsix');
const screenshots = arg('--screenshots');
const port = Number(arg('--port', '8791'));

const tmp = mkdtempSync(join(tmpdir(), 'recipe-lens-code-server-'));
const dirs = { user: join(tmp, 'user'), extensions: join(tmp, 'extensions'), workspace: join(tmp, 'workspace'), probe: join(tmp, 'probe') };
for (const d of Object.values(dirs)) mkdirSync(d, { recursive: true });
cpSync(join(root, 'examples'), dirs.workspace, { recursive: true });
mkdirSync(join(dirs.user, 'User'), { recursive: true });
writeFileSync(
  join(dirs.user, 'User', 'settings.json'),
  JSON.stringify({
    'workbench.startupEditor': 'none',
    'security.workspace.trust.enabled': false,
    'telemetry.telemetryLevel': 'off',
    'extensions.autoUpdate': false,
    'extensions.autoCheckUpdates': false,
    'update.mode': 'none',
    'workbench.enableExperiments': false,
    'workbench.tips.enabled': false,
    'chat.disableAIFeatures': true,
    'editor.hover.delay': 200,
    'editor.fontSize': 13,
    'editor.minimap.enabled': false,
  }),
);
// Keep code-server's and Chromium's files out of $HOME.
const xdg = { XDG_CONFIG_HOME: join(tmp, 'xdg-config'), XDG_DATA_HOME: join(tmp, 'xdg-data'), XDG_CACHE_HOME: join(tmp, 'xdg-cache') };
const closed = 'http://127.0.0.1:9';
const env = { ...process.env, ...xdg, RECIPE_LENS_E2E_DIR: dirs.probe, EXTENSIONS_GALLERY: JSON.stringify({ serviceUrl: closed, itemUrl: closed }), http_proxy: closed, https_proxy: closed, HTTP_PROXY: closed, HTTPS_PROXY: closed, no_proxy: '127.0.0.1,localhost' };

const log = (m) => console.log(`code-server e2e: ${m}`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
async function waitFor(what, fn, ms = 120_000) {
  const start = Date.now();
  for (;;) {
    if (await fn()) return;
    if (Date.now() - start > ms) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}
/** Is the element's box inside the hover's visible area (the page's viewport is not enough: the hover scrolls)? */
async function inView(page, locator) {
  const box = await locator.boundingBox().catch(() => null);
  const hover = await page.locator('.monaco-hover').first().boundingBox().catch(() => null);
  return !!box && !!hover && box.y >= hover.y && box.y + box.height <= hover.y + hover.height;
}
const healthy = () => new Promise((ok) => get(`http://127.0.0.1:${port}/healthz`, (r) => (r.resume(), ok(r.statusCode === 200))).on('error', () => ok(false)));

let server;
let browser;
let passed = false;
try {
  // Install the .vsix as a user would, then the probe beside it.
  const install = spawnSync(codeServer, ['--config', '/dev/null', '--extensions-dir', dirs.extensions, '--user-data-dir', dirs.user, '--install-extension', vsix], { env, encoding: 'utf8' });
  if (install.status !== 0) throw new Error(`installing the .vsix failed: ${install.stdout}${install.stderr}`);
  log(install.stdout.trim().split('\n').pop());
  // Installing wrote extensions.json, the list VS Code loads: add the probe, copied beside.
  const probeFolder = 'recipe-lens-tests.recipe-lens-e2e-probe-0.0.1';
  const probePath = join(dirs.extensions, probeFolder);
  cpSync(join(here, 'probe'), probePath, { recursive: true });
  const listed = JSON.parse(readFileSync(join(dirs.extensions, 'extensions.json'), 'utf8'));
  listed.push({ identifier: { id: 'recipe-lens-tests.recipe-lens-e2e-probe' }, version: '0.0.1', location: { $mid: 1, fsPath: probePath, path: probePath, scheme: 'file' }, relativeLocation: probeFolder });
  writeFileSync(join(dirs.extensions, 'extensions.json'), JSON.stringify(listed));

  server = spawn(codeServer, ['--config', '/dev/null', '--auth', 'none', '--bind-addr', `127.0.0.1:${port}`, '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust', '--disable-getting-started-override', '--user-data-dir', dirs.user, '--extensions-dir', dirs.extensions, '--ignore-last-opened', dirs.workspace], { detached: true, stdio: ['ignore', 'pipe', 'pipe'], env });
  const serverLog = [];
  server.stdout.on('data', (d) => serverLog.push(String(d)));
  server.stderr.on('data', (d) => serverLog.push(String(d)));
  await waitFor('code-server', healthy, 60_000);
  log('code-server is up');

  browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', headless: true, env: { ...process.env, ...xdg }, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
  const page = await (await browser.newContext({ viewport: { width: 1400, height: 860 } })).newPage();
  const outside = [];
  page.on('request', (r) => {
    const u = new URL(r.url());
    if (/^(https?|wss?):$/.test(u.protocol) && !['127.0.0.1', 'localhost'].includes(u.hostname)) outside.push(r.url());
  });
  await page.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(dirs.workspace)}`);
  log('workbench loaded');

  // The probe has the diagnostics, hover, hints and lenses checked: show the hover with the mouse.
  await waitFor('the probe', () => existsSync(join(dirs.probe, 'ready.json')) || existsSync(join(dirs.probe, 'result.json')));
  if (existsSync(join(dirs.probe, 'ready.json'))) {
    const squiggle = page.locator('.squiggly-error').first();
    await squiggle.waitFor({ timeout: 30_000 });
    await page.locator('.codelens-decoration').filter({ hasText: 'peak' }).first().waitFor({ timeout: 30_000 });
    if (screenshots) {
      mkdirSync(resolve(screenshots), { recursive: true });
      await page.screenshot({ path: join(resolve(screenshots), 'editor.png') });
    }
    const box = await squiggle.boundingBox();
    await page.mouse.move(box.x + Math.min(40, box.width / 2), box.y + box.height / 2);
    const hover = page.locator('.monaco-hover').filter({ hasText: 'Memory per GPU' }).first();
    await hover.waitFor({ timeout: 15_000 });
    if (screenshots) {
      // Into the hover (which keeps it open), and down to the memory table.
      const hb = await hover.boundingBox();
      await page.mouse.move(hb.x + hb.width / 2, hb.y + hb.height / 2, { steps: 5 });
      const table = page.locator('.monaco-hover td').filter({ hasText: 'capacity' }).first();
      for (let i = 0; i < 20 && !(await inView(page, table)); i++) {
        await page.mouse.wheel(0, 120);
        await sleep(100);
      }
      await sleep(500);
      await page.screenshot({ path: join(resolve(screenshots), 'hover.png') });
      log(`screenshots: ${screenshots}/editor.png, ${screenshots}/hover.png`);
    }
    writeFileSync(join(dirs.probe, 'screenshot-done'), '');
  }
  // The probe opened Explore Layouts: click the first row's Apply inside the webview.
  await waitFor('Explore Layouts', () => existsSync(join(dirs.probe, 'layouts-open')) || existsSync(join(dirs.probe, 'result.json')));
  if (existsSync(join(dirs.probe, 'layouts-open'))) {
    let frame;
    await waitFor('the layouts webview', async () => {
      for (const f of page.frames()) {
        if ((await f.locator('button[data-row="0"]').count().catch(() => 0)) > 0) frame = f;
      }
      return frame !== undefined;
    }, 30_000);
    if (screenshots) await page.screenshot({ path: join(resolve(screenshots), 'layouts.png') });
    await frame.locator('button[data-row="0"]').click();
    log('clicked Apply on the best layout');
  }
  await waitFor('the probe result', () => existsSync(join(dirs.probe, 'result.json')));
  const result = JSON.parse(readFileSync(join(dirs.probe, 'result.json'), 'utf8'));
  for (const s of result.steps) log(`${s.name}${s.data === undefined ? '' : ` ${JSON.stringify(s.data).slice(0, 300)}`}`);
  if (!result.ok) throw new Error(result.error);
  if (outside.length) throw new Error(`requests left the machine: ${outside.join(', ')}`);
  passed = true;
} catch (e) {
  console.error(`code-server e2e: ${e instanceof Error ? e.message : e}`);
} finally {
  if (browser) await browser.close().catch(() => undefined);
  if (server && server.exitCode === null) {
    try {
      process.kill(-server.pid, 'SIGTERM');
    } catch {
      // already gone
    }
  }
  if (!process.env.KEEP_TMP) rmSync(tmp, { recursive: true, force: true });
}
log(passed ? 'PASS' : 'FAIL');
process.exit(passed ? 0 : 1);
