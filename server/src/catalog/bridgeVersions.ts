// Megatron-Bridge version numbers (PEP 440) and the recipe API era each one ships
// (megatron-bridge.md §1): A = 0.1.0a0 to 0.2.0rc5, B = 0.2.0rc6 to 0.3.0, C = 0.3.1 to 0.5.x,
// D = 0.6.0 and later.

interface Version {
  release: [number, number, number];
  /** dev-only 0, a 1, b 2, rc 3, final 4, post 5. */
  stage: number;
  stageNumber: number;
  /** The N of a `.devN` after a pre- or post-release; Infinity when there is none, since a dev release sorts first. */
  dev: number;
}

const STAGES: Record<string, number> = { a: 1, alpha: 1, b: 2, beta: 2, c: 3, rc: 3, pre: 3, preview: 3 };
const VERSION =
  /^\s*v?(\d+)\.(\d+)(?:\.(\d+))?(?:\.\d+)*(?:[-_.]?(a|alpha|b|beta|c|rc|pre|preview)[-_.]?(\d*))?(?:[-_.]?(post|rev|r)[-_.]?(\d*))?(?:[-_.]?(dev)[-_.]?(\d*))?(?:\+[a-z0-9.]+)?\s*$/i;

function parseVersion(text: string): Version | undefined {
  const m = VERSION.exec(text);
  if (!m) return undefined;
  const n = (s: string | undefined) => (s ? Number(s) : 0);
  const release: [number, number, number] = [n(m[1]), n(m[2]), n(m[3])];
  const dev = m[8] ? n(m[9]) : undefined;
  if (m[4]) return { release, stage: STAGES[m[4].toLowerCase()]!, stageNumber: n(m[5]), dev: dev ?? Infinity };
  if (m[6]) return { release, stage: 5, stageNumber: n(m[7]), dev: dev ?? Infinity };
  if (dev !== undefined) return { release, stage: 0, stageNumber: dev, dev: Infinity };
  return { release, stage: 4, stageNumber: 0, dev: Infinity };
}

function compareReleases(a: Version, b: Version): number {
  return a.release[0] - b.release[0] || a.release[1] - b.release[1] || a.release[2] - b.release[2];
}

function compareParsed(a: Version, b: Version): number {
  const d = compareReleases(a, b) || a.stage - b.stage || a.stageNumber - b.stageNumber;
  return d !== 0 ? d : a.dev === b.dev ? 0 : a.dev < b.dev ? -1 : 1;
}

/** Orders two PEP 440-style versions (a pre-release before its final release); undefined when either is unreadable. */
export function compareVersions(a: string, b: string): number | undefined {
  const va = parseVersion(a);
  const vb = parseVersion(b);
  return va && vb ? Math.sign(compareParsed(va, vb)) : undefined;
}

/** The first version of each era, parsed when first needed: the pattern compiles on first use, which cost every server start 0.4 ms. */
let firsts: Record<'A' | 'B' | 'C' | 'D', Version> | undefined;

/**
 * The recipe API era of a Bridge version: A from 0.1.0a0 to 0.2.0rc5, B from 0.2.0rc6 to 0.3.0, C from
 * 0.3.1 to 0.5.x, D from 0.6.0. The dev and rc releases of 0.3.1 and 0.6.0 already belong to the era
 * their final release opens.
 */
export function bridgeEraOfVersion(version: string): 'A' | 'B' | 'C' | 'D' | undefined {
  const v = parseVersion(version);
  firsts ??= { A: parseVersion('0.1.0a0')!, B: parseVersion('0.2.0rc6')!, C: parseVersion('0.3.1')!, D: parseVersion('0.6.0')! };
  if (!v || compareParsed(v, firsts.A) < 0) return undefined;
  if (compareReleases(v, firsts.D) >= 0) return 'D';
  if (compareReleases(v, firsts.C) >= 0) return 'C';
  return compareParsed(v, firsts.B) >= 0 ? 'B' : 'A';
}
