// Open documents, their latest analysis, and the settings: the server's only state. Analysis
// runs after each change on the next turn of the event loop; a change that arrives first makes
// the pending analysis stale and it is skipped (cancellation of stale work).
import type { Parser } from 'web-tree-sitter';
import { analyzeParsed, errorReport, failedAnalysis, mentionsNemo, usesBridge, type Analysis, type AnalysisOptions } from '../analysis/analyze';
import { DEFAULT_SETTINGS, ruleSettings, type Settings } from '../config/settings';
import { selectRules } from '../config/ruleSelection';
import { RULE_DOCS } from '../rules/registry';
import { PythonDocument, type TextChange } from '../parse/document';
import { settleLowering, type LoweringCache } from '../parse/lower';
import type { Surroundings } from '../evaluate/surroundings';
import { gatherSurroundings } from '../workspace/surroundings';
import { fileURLToPath } from 'node:url';

export interface OpenDocument {
  uri: string;
  version: number;
  languageId: string;
  doc: PythonDocument;
  /** The analysis of `version`, once computed. */
  analysis?: { version: number; result: Analysis };
  /** Statements lowered by the previous analysis, reused when their text is unchanged. */
  lowering: LoweringCache;
  /** What the workspace around the file says (Bridge files only), gathered once until invalidated. */
  surroundings?: Surroundings;
}

const NOTHING: Analysis = { plans: [], memory: [], diagnostics: [], problems: [] };

const WARM_UP = [
  'from nemo.collections import llm\nrecipe = llm.llama3_8b.pretrain_recipe(num_nodes=1, num_gpus_per_node=8)\nrecipe.trainer.strategy.tensor_model_parallel_size = 2\n',
  '# recipe-lens: world=8\nfrom megatron.bridge.recipes.llama import llama3_8b_pretrain_config\nfrom megatron.bridge.training.pretrain import pretrain\ncfg = llama3_8b_pretrain_config()\npretrain(cfg, None)\n',
];

const WARM_UP_DELAY_MS = 250;
const WARM_UP_PATIENCE_MS = 10_000;

export class Workspace {
  private readonly open = new Map<string, OpenDocument>();
  settings: Settings = DEFAULT_SETTINGS;
  /** The analysis options of the current settings object (see optionsOf). */
  private options?: { settings: Settings; options: AnalysisOptions };
  /** The workspace folders, where launch scripts and lock files are looked for. */
  roots: string[] = [];

  /**
   * `report` hears of an analysis that threw (the server logs it to the client); `analyze` is the
   * analysis, replaced only by tests that need one to throw.
   */
  constructor(
    readonly parser: Parser,
    private readonly report: (message: string) => void = () => undefined,
    private readonly analyze: typeof analyzeParsed = analyzeParsed,
  ) {}

  get(uri: string): OpenDocument | undefined {
    return this.open.get(uri);
  }

  all(): OpenDocument[] {
    return [...this.open.values()];
  }

  didOpen(uri: string, languageId: string, version: number, text: string): OpenDocument {
    this.open.get(uri)?.doc.dispose();
    const entry: OpenDocument = { uri, languageId, version, doc: PythonDocument.parse(this.parser, text), lowering: new Map() };
    this.open.set(uri, entry);
    return entry;
  }

  didChange(uri: string, version: number, changes: readonly (TextChange | { text: string })[]): OpenDocument | undefined {
    const entry = this.open.get(uri);
    if (!entry) return undefined;
    // The cached statements' lazy function bodies point into the tree the changes replace.
    settleLowering(entry.lowering);
    for (const change of changes) {
      if ('range' in change) entry.doc.applyChanges([change]);
      else entry.doc.replaceText(change.text);
    }
    entry.version = version;
    return entry;
  }

  didClose(uri: string): void {
    this.open.get(uri)?.doc.dispose();
    this.open.delete(uri);
  }

  /** The analysis of the document's current version, computed now if needed. */
  analysis(entry: OpenDocument): Analysis {
    if (entry.analysis?.version === entry.version) return entry.analysis.result;
    const result = this.analysed(entry);
    entry.analysis = { version: entry.version, result };
    return result;
  }

  /**
   * An exception out of the analysis is a bug of Recipe Lens, not of the file. It is reported and
   * the file gets no diagnostics, its status and hover saying why, rather than taking the server
   * down with every open file: diagnostics are published outside any request, where nothing else
   * would catch it. The failed version is remembered, so it is reported once, not per request.
   */
  private analysed(entry: OpenDocument): Analysis {
    const text = entry.doc.text;
    if (entry.languageId !== 'python' || !mentionsNemo(text)) return NOTHING;
    try {
      // Fixes are proven when code actions are asked for, not on every keystroke.
      return this.analyze(this.parser, entry.doc, { ...this.analysisOptions(entry), verifyFixes: false, lowering: entry.lowering });
    } catch (e) {
      this.report(`Recipe Lens could not analyse ${entry.uri} (version ${entry.version}), because of a bug in Recipe Lens; please report it with this message and, if you can, the file.\n${errorReport(e)}`);
      // The lowering cache may hold what the failed run left half done: the next version starts afresh.
      entry.lowering = new Map();
      return failedAnalysis(e);
    }
  }

  analysisOptions(entry?: OpenDocument): AnalysisOptions {
    const surroundings = entry && this.surroundingsOf(entry);
    return { ...this.optionsOf(this.settings), ...(surroundings ? { surroundings } : {}) };
  }

  /** The analysis options the settings give, worked out once per settings object, not per keystroke. */
  private optionsOf(s: Settings): AnalysisOptions {
    if (this.options?.settings !== s) {
      const selection = selectRules(s.select, s.ignore);
      const ignore = RULE_DOCS.map((r) => r.code).filter((code) => !selection.reports(code));
      this.options = { settings: s, options: { rules: ruleSettings(s), gpu: s.gpu, ignore, severity: s.severity } };
    }
    return this.options.options;
  }

  /** A file's surroundings, for Bridge files on disk; read once, until a save or a settings change. */
  private surroundingsOf(entry: OpenDocument): Surroundings | undefined {
    if (entry.surroundings) return entry.surroundings;
    if (!entry.uri.startsWith('file:') || !usesBridge(entry.doc.text)) return undefined;
    const version = this.settings.bridge.version;
    entry.surroundings = gatherSurroundings(fileURLToPath(entry.uri), { roots: this.roots, bridgeVersion: version ? { version, source: 'the recipeLens.bridge.version setting' } : null });
    return entry.surroundings;
  }

  /**
   * Analyses two small recipes, NeMo and Megatron-Bridge, once after start-up, so that the catalogs
   * are parsed and the code is compiled before the user's first file arrives, not while it waits.
   * Called on `initialized`. It never runs ahead of a document waiting for its analysis: editors
   * start the server because a Python file is open and send it right after `initialized`, and a
   * warm-up run first would only delay that file's diagnostics (its own analysis compiles the same
   * code). So the warm-up starts WARM_UP_DELAY_MS later, giving such a file time to arrive even on
   * a busy machine, and each recipe runs on its own turn of the event loop, when no document waits;
   * otherwise it tries again a little later, for at most WARM_UP_PATIENCE_MS (a client of pull
   * diagnostics may never ask for some open file). `done` runs after the last recipe, not when the
   * warm-up gives up.
   */
  warmUp(done: () => void = () => undefined): void {
    const since = Date.now();
    setTimeout(() => this.warmUpSoon(0, since, done), WARM_UP_DELAY_MS).unref();
  }

  /**
   * Two turns of the event loop from now: after the messages already read (vscode-jsonrpc hands
   * over one per turn) and the diagnostics already computed (its writer sends them a turn later).
   */
  private warmUpSoon(step: number, since: number, done: () => void): void {
    setImmediate(() => setImmediate(() => this.warmUpStep(step, since, done)));
  }

  private warmUpStep(step: number, since: number, done: () => void): void {
    if (step >= WARM_UP.length) return done();
    if ([...this.open.values()].some((e) => e.analysis?.version !== e.version)) {
      if (Date.now() - since < WARM_UP_PATIENCE_MS) setTimeout(() => this.warmUpSoon(step, since, done), 25).unref();
      return;
    }
    const doc = PythonDocument.parse(this.parser, WARM_UP[step]!);
    try {
      analyzeParsed(this.parser, doc, { ...this.analysisOptions(), verifyFixes: false });
    } finally {
      doc.dispose();
    }
    this.warmUpSoon(step + 1, since, done);
  }

  /** Settings changed, or a file was saved (a launch script, a lock file): analyse everything again. */
  invalidate(): void {
    for (const entry of this.open.values()) {
      delete entry.analysis;
      delete entry.surroundings;
    }
  }
}
