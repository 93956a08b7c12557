// What the client supports, negotiated once at initialize.
import type { ClientCapabilities } from 'vscode-languageserver/node';

export interface ClientFeatures {
  relatedInformation: boolean;
  pullDiagnostics: boolean;
  configuration: boolean;
  codeActionLiterals: boolean;
  /** The client re-requests inlay hints and code lenses when asked (after a settings change). */
  inlayHintRefresh: boolean;
  codeLensRefresh: boolean;
}

export function clientFeatures(c: ClientCapabilities): ClientFeatures {
  return {
    relatedInformation: c.textDocument?.publishDiagnostics?.relatedInformation === true,
    pullDiagnostics: c.textDocument?.diagnostic !== undefined,
    configuration: c.workspace?.configuration === true,
    codeActionLiterals: c.textDocument?.codeAction?.codeActionLiteralSupport !== undefined,
    inlayHintRefresh: c.workspace?.inlayHint?.refreshSupport === true,
    codeLensRefresh: c.workspace?.codeLens?.refreshSupport === true,
  };
}
