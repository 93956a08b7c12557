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
