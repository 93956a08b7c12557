// The transports vscode-languageserver reads from the command line. A module of its own: the
// server's entry (boot/serverEntry.ts) checks the command line before it loads the server bundle.

/** Whether the command line names a transport for the connection. */
export function namesTransport(args: readonly string[]): boolean {
  return args.some((a) => a === '--stdio' || a === '--node-ipc' || a.startsWith('--socket') || a.startsWith('--pipe'));
}

export const TRANSPORT_MISSING = 'recipe-lens server: give the transport, e.g. --stdio';
