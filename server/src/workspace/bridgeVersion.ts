// Which Megatron-Bridge version a workspace pins, read from its lock files, pyproject.toml or
// requirements files (catalog/bridgeVersions.ts maps it to a recipe API era). Bridge changed its
// recipe functions' signatures between releases, so the version decides which calls are valid.
// Only exact pins count: a range says nothing about what is installed. Parsing is pure; the
// finder reads the directories.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';

export interface PinnedVersion {
  version: string;
  file: string;
  /** 0-based line of the pin in the file. */
  line: number;
}

type Pin = { version: string; line: number };

const PACKAGE = 'megatron-bridge';
const LOCK_FILES = ['uv.lock', 'poetry.lock', 'Pipfile.lock'];
const REQUIREMENTS = /^(requirements|constraints).*\.txt$/i;
const MAX_LEVELS = 20;
// Lock files of large projects run to megabytes; anything past this is not one.
const MAX_BYTES = 16 * 1024 * 1024;

/** The exact Megatron-Bridge pin in a file, by the file's name; undefined for other files and unreadable content. */
export function pinnedBridgeVersion(fileName: string, text: string): Pin | undefined {
  const name = basename(fileName);
  if (name === 'uv.lock' || name === 'poetry.lock') return fromLock(text);
  if (name === 'Pipfile.lock') return fromPipfileLock(text);
  if (name === 'pyproject.toml') return fromPyproject(text);
  if (REQUIREMENTS.test(name)) return fromRequirements(text);
  return undefined;
}

/**
 * The pin nearest `startDir`: its own files first, then each parent's up to `stopAt` (inclusive) or
 * 20 levels. Within a directory lock files come first, then pyproject.toml, then requirements files.
 */
export function findPinnedBridgeVersion(startDir: string, stopAt?: string): PinnedVersion | undefined {
  const stop = stopAt === undefined ? undefined : resolve(stopAt);
  let dir = resolve(startDir);
  for (let level = 0; level < MAX_LEVELS; level++) {
    const pin = pinIn(dir);
    if (pin) return pin;
    const parent = dirname(dir);
    if (dir === stop || parent === dir) return undefined;
    dir = parent;
  }
  return undefined;
}

function pinIn(dir: string): PinnedVersion | undefined {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return undefined;
  }
  const requirements = names.filter((n) => REQUIREMENTS.test(n)).sort((a, b) => Number(/^c/i.test(a)) - Number(/^c/i.test(b)) || a.localeCompare(b));
  const ordered = [...LOCK_FILES.filter((n) => names.includes(n)), ...(names.includes('pyproject.toml') ? ['pyproject.toml'] : []), ...requirements];
  for (const name of ordered) {
    const file = join(dir, name);
    const text = readText(file);
    const pin = text === undefined ? undefined : pinnedBridgeVersion(name, text);
    if (pin) return { ...pin, file };
  }
  return undefined;
}

function readText(file: string): string | undefined {
  try {
    const st = statSync(file);
    return st.isFile() && st.size <= MAX_BYTES ? readFileSync(file, 'utf8') : undefined;
  } catch {
    return undefined;
  }
}

/** PEP 503 name normalisation: case-insensitive, runs of `-`, `_` and `.` alike. */
function normalName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}

// ---- requirement strings (requirements files and pyproject.toml) ----

// A GitHub URL of the Bridge repository at a release tag: `...Megatron-Bridge.git@v0.3.0`.
const REPO_AT_TAG = /\/megatron-bridge(?:\.git)?@v(\d+\.\d+\.\d+[0-9a-z.]*)(?=$|[#&\s;])/i;
const SPECIFIER = /(===|==|~=|!=|<=|>=|<|>)\s*([^\s,;\\]+)/g;

/** The version an exact requirement (`megatron-bridge==0.3.0`, or the repository at a release tag) pins. */
function exactRequirement(requirement: string): string | undefined {
  const tagged = REPO_AT_TAG.exec(requirement);
  if (tagged) return tagged[1];
  const m = /^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[[^\]]*\])?\s*([^@]*)$/.exec(requirement);
  if (!m || normalName(m[1]!) !== PACKAGE) return undefined;
  const specifiers = m[2]!.split(';')[0]!.split(/\s--/)[0]!;
  for (const [, op, version] of specifiers.matchAll(SPECIFIER)) {
    if ((op === '==' || op === '===') && !version!.includes('*')) return version;
  }
  return undefined;
}

function fromRequirements(text: string): Pin | undefined {
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    // A comment starts at a `#` after whitespace; `#egg=` in a URL is not one.
    const version = exactRequirement(lines[i]!.replace(/(^|\s)#.*$/, ''));
    if (version) return { version, line: i };
  }
  return undefined;
}

// ---- pyproject.toml ----

/**
 * `[project] dependencies = [...]` and `[tool.poetry.dependencies]`, scanned line by line: only these
 * two shapes matter. An array or string that never closes makes the file unreadable.
 */
function fromPyproject(text: string): Pin | undefined {
  const lines = text.split(/\r?\n/);
  let table = '';
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const header = /^\s*\[\s*([^[\]]+?)\s*\]\s*(#.*)?$/.exec(line);
    if (header) {
      table = header[1]!.replace(/\s*\.\s*/g, '.').replace(/"/g, '');
      continue;
    }
    if (/^\s*\[\[/.test(line)) {
      table = '';
      continue;
    }
    if (table === 'project') {
      const deps = /^\s*dependencies\s*=\s*\[/.exec(line);
      if (!deps) continue;
      const array = tomlStrings(lines, i, deps[0].length);
      if (!array) return undefined;
      for (const s of array.strings) {
        const version = exactRequirement(s.value);
        if (version) return { version, line: s.line };
      }
      i = array.endLine;
    } else if (table === 'tool.poetry.dependencies') {
      const dep = /^\s*["']?([A-Za-z0-9][\w.-]*)["']?\s*=\s*(.*)$/.exec(line);
      if (!dep || normalName(dep[1]!) !== PACKAGE) continue;
      const version = poetryExact(dep[2]!);
      if (version) return { version, line: i };
    }
  }
  return undefined;
}

/** The strings of a TOML array opening before lines[line][column]; undefined when it never closes. */
function tomlStrings(lines: string[], line: number, column: number): { strings: { value: string; line: number }[]; endLine: number } | undefined {
  const strings: { value: string; line: number }[] = [];
  for (let i = line, col = column; i < lines.length; i++, col = 0) {
    const s = lines[i]!;
    while (col < s.length) {
      const c = s[col]!;
      if (c === ']') return { strings, endLine: i };
      if (c === '#') break;
      if (c === '"' || c === "'") {
        const close = closingQuote(s, col);
        if (close === -1) return undefined;
        strings.push({ value: s.slice(col + 1, close), line: i });
        col = close + 1;
      } else col++;
    }
  }
  return undefined;
}

function closingQuote(s: string, open: number): number {
  const q = s[open]!;
  for (let i = open + 1; i < s.length; i++) {
    if (q === '"' && s[i] === '\\') i++;
    else if (s[i] === q) return i;
  }
  return -1;
}

/** Poetry's exact forms: `"0.3.0"`, `"==0.3.0"`, `{ version = "0.3.0", ... }`; `^`, `~`, ranges and wildcards are not. */
function poetryExact(value: string): string | undefined {
  const quoted = /^\s*\{.*\bversion\s*=\s*"([^"]*)"/.exec(value) ?? /^\s*"([^"]*)"/.exec(value) ?? /^\s*'([^']*)'/.exec(value);
  const m = quoted && /^\s*(?:={1,3}\s*)?(\d[0-9A-Za-z.+!-]*)\s*$/.exec(quoted[1]!);
  return m?.[1];
}

// ---- lock files ----

/** uv.lock and poetry.lock: `[[package]]` tables with `name = "megatron-bridge"` and `version = "0.5.1"`. */
function fromLock(text: string): Pin | undefined {
  const lines = text.split(/\r?\n/);
  let inPackage = false;
  let name: string | undefined;
  let version: Pin | undefined;
  const found = () => (inPackage && name !== undefined && normalName(name) === PACKAGE ? version : undefined);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (/^\s*\[/.test(line)) {
      const pin = found();
      if (pin) return pin;
      // Sub-tables such as [package.dependencies] hold other packages' versions.
      inPackage = /^\s*\[\[\s*package\s*\]\]\s*(#.*)?$/.test(line);
      name = undefined;
      version = undefined;
      continue;
    }
    const kv = inPackage ? /^\s*(name|version)\s*=\s*"([^"]*)"\s*(#.*)?$/.exec(line) : null;
    if (kv?.[1] === 'name') name = kv[2];
    else if (kv) version = { version: kv[2]!, line: i };
  }
  return found();
}

/** Pipfile.lock: JSON with `default` and `develop` sections of `"name": { "version": "==0.5.1" }`. */
function fromPipfileLock(text: string): Pin | undefined {
  let lock: unknown;
  try {
    lock = JSON.parse(text);
  } catch {
    return undefined;
  }
  for (const section of ['default', 'develop']) {
    const packages = isRecord(lock) ? lock[section] : undefined;
    if (!isRecord(packages)) continue;
    for (const [key, entry] of Object.entries(packages)) {
      if (normalName(key) !== PACKAGE || !isRecord(entry) || typeof entry.version !== 'string') continue;
      const m = /^===?\s*(\S+)$/.exec(entry.version.trim());
      if (!m || m[1]!.includes('*')) continue;
      const at = text.indexOf(JSON.stringify(key));
      return { version: m[1]!, line: at === -1 ? 0 : text.slice(0, at).split('\n').length - 1 };
    }
  }
  return undefined;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
