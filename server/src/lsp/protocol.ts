// Recipe Lens's own requests, shared by the server and the VS Code client: the only module of the
// server the client imports, so it must import nothing itself.

/** `recipeLens/plan`: the file's plans as Markdown (every value, its provenance, unknowns, memory). */
export const PLAN_REQUEST = 'recipeLens/plan';
export interface PlanResponse {
  markdown: string;
}

/** `recipeLens/status`: one line for the language status item, e.g. "TP8 PP4 DP1 · 71/80 GiB". */
export const STATUS_REQUEST = 'recipeLens/status';
export interface StatusResponse {
  text: string;
  detail: string;
  severity: 'information' | 'warning' | 'error';
}

/** `recipeLens/layouts`: the ranked layouts of one job, each with the edits that apply it. */
export const LAYOUTS_REQUEST = 'recipeLens/layouts';
export interface LayoutsParams {
  textDocument: { uri: string };
  /** The job's index in the file (0 for the first). */
  job: number;
}
export interface LayoutsResponse {
  /** Why there are no rows, when there are none. */
  reason?: string;
  rows: { title: string; stepSeconds: number; roomy: boolean; changes: string; edit: { changes: Record<string, { range: { start: { line: number; character: number }; end: { line: number; character: number } }; newText: string }[]> } }[];
}

/** The client command a code lens opens "Explore layouts" with: arguments [uri, job]. */
export const EXPLORE_LAYOUTS_COMMAND = 'recipeLens.exploreLayouts';

/**
 * `recipeLens/serverHealth`: the server's own footprint, for "is it leaking?" questions (and the
 * load tests). The heap is measured after a garbage collection when Node exposes one (--expose-gc).
 */
export const HEALTH_REQUEST = 'recipeLens/serverHealth';
export interface HealthResponse {
  heapUsedBytes: number;
  rssBytes: number;
  openDocuments: number;
  /** Whether a collection ran first, so that heapUsedBytes counts live objects only. */
  collected: boolean;
  /**
   * The code cache of the server bundle (boot/codeCache.ts): its file and whether this process
   * used it, found none, had it rejected by V8, wrote it, or could not write it. Absent when the
   * server runs without the cache (from the CLI bundle or the tests' sources).
   */
  codeCache?: { file: string | undefined; state: CodeCacheState };
}

export type CodeCacheState = 'off' | 'none' | 'used' | 'rejected' | 'written' | 'unwritable';
