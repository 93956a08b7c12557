// The values the server takes from vscode-languageserver/node, read here once with require(): an
// ES import of a CommonJS package makes the bundle copy every one of its exports (321) into an
// object of getters when the server starts, where require() hands over the package's own object.
// The other modules of lsp/ import these from here, and the package's types from the package.
import type * as Lsp from 'vscode-languageserver/node';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const lsp = require('vscode-languageserver/node') as typeof Lsp;

export const {
  CodeActionKind,
  createConnection,
  DiagnosticSeverity,
  DidChangeWatchedFilesNotification,
  DocumentDiagnosticReportKind,
  InlayHintKind,
  MarkupKind,
  MessageType,
  ProposedFeatures,
  ShowMessageNotification,
  TextDocumentSyncKind,
} = lsp;
