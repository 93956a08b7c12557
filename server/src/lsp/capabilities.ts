// What the client supports, negotiated once at initialize.
import type { ClientCapabilities } from 'vscode-languageserver/node';
import { EXPLORE_LAYOUTS_COMMAND } from './protocol';

export interface ClientFeatures {
  relatedInformation: boolean;
  pullDiagnostics: boolean;
  configuration: boolean;
  codeActionLiterals: boolean;
  /** The client re-requests inlay hints and code lenses when asked (after a settings change). */
  inlayHintRefresh: boolean;
  codeLensRefresh: boolean;
  /** The client runs "Explore layouts" from a code lens (Recipe Lens's own VS Code client does). */
  exploreLayouts: boolean;
  /** The client watches files for the server when asked (launch scripts, lock files). */
  watchedFiles: boolean;
}

export function clientFeatures(c: ClientCapabilities, initializationOptions?: unknown): ClientFeatures {
  const commands = (initializationOptions as { clientCommands?: unknown } | undefined)?.clientCommands;
  return {
    relatedInformation: c.textDocument?.publishDiagnostics?.relatedInformation === true,
    pullDiagnostics: c.textDocument?.diagnostic !== undefined,
    configuration: c.workspace?.configuration === true,
    codeActionLiterals: c.textDocument?.codeAction?.codeActionLiteralSupport !== undefined,
    inlayHintRefresh: c.workspace?.inlayHint?.refreshSupport === true,
    codeLensRefresh: c.workspace?.codeLens?.refreshSupport === true,
    exploreLayouts: Array.isArray(commands) && commands.includes(EXPLORE_LAYOUTS_COMMAND),
    watchedFiles: c.workspace?.didChangeWatchedFiles?.dynamicRegistration === true,
  };
}
