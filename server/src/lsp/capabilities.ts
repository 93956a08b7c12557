// What the client supports, negotiated once at initialize.
import type { ClientCapabilities } from 'vscode-languageserver/node';

export interface ClientFeatures {
  relatedInformation: boolean;
  pullDiagnostics: boolean;
  configuration: boolean;
  codeActionLiterals: boolean;
}

export function clientFeatures(c: ClientCapabilities): ClientFeatures {
  return {
    relatedInformation: c.textDocument?.publishDiagnostics?.relatedInformation === true,
    pullDiagnostics: c.textDocument?.diagnostic !== undefined,
    configuration: c.workspace?.configuration === true,
    codeActionLiterals: c.textDocument?.codeAction?.codeActionLiteralSupport !== undefined,
  };
}
