// The values the server takes from vscode-languageserver/node, imported here once: the bundle
// gives each ES module that imports a CommonJS one its own copy of every export (321 of them,
// about a millisecond a copy when the server starts). The other modules of lsp/ import these from
// here, and the package's types from the package.
export {
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
} from 'vscode-languageserver/node';
