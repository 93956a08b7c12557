// What loading the built server bundle costs a start: it must not load the Node modules that
// vscode-languageserver requires but the server never uses (scripts/build.mjs, lazyBuiltins),
// and those stay usable through the objects that stand in for them.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';

const DIST = join(__dirname, '..', '..', 'dist');

/** Runs a script as a file of its own (`node -e` loads crypto itself). */
function run(script: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'recipe-lens-bundle-'));
  try {
    writeFileSync(join(dir, 'probe.js'), script);
    return execFileSync(process.execPath, [join(dir, 'probe.js')], { encoding: 'utf8' }).trim();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('the built server bundle', () => {
  it('is ASCII, as its loader reads it (server/src/boot/codeCache.ts)', () => {
    for (const name of ['server-core.js', 'server.js', 'cli.js']) {
      const bytes = readFileSync(join(DIST, name));
      assert.equal(bytes.findIndex((b) => b > 0x7f), -1, name);
    }
  });

  it('loads neither child_process nor crypto when it loads', () => {
    const loaded = run(`require(${JSON.stringify(join(DIST, 'server-core.js'))}); console.log(process.moduleLoadList.filter((m) => /^NativeModule (child_process|crypto)$/.test(m)).join(','))`);
    assert.equal(loaded, '');
  });

  it('still starts a server', () => {
    const exported = run(`console.log(typeof require(${JSON.stringify(join(DIST, 'server-core.js'))}).startNodeServer)`);
    assert.equal(exported, 'function');
  });
});
