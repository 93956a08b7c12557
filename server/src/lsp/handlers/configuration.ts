// Settings: from initializationOptions, then workspace/configuration when the client supports
// it, again on every change. A malformed value is reported once, visibly, and its default used.
import type { Connection } from 'vscode-languageserver/node';
import { MessageType, ShowMessageNotification } from '../languageServer';
import { readSettings } from '../../config/settings';
import type { ServerContext } from '../server';

export function registerConfiguration(connection: Connection, ctx: ServerContext, onChange: () => void): { load(initial: unknown): Promise<void> } {
  const reported = new Set<string>();
  const apply = (raw: unknown) => {
    const { settings, problems } = readSettings(raw);
    ctx.workspace.settings = settings;
    for (const p of problems) {
      if (reported.has(p)) continue;
      reported.add(p);
      void connection.sendNotification(ShowMessageNotification.type, { type: MessageType.Error, message: `Recipe Lens: ${p}` });
    }
    ctx.workspace.invalidate();
    onChange();
  };
  const pull = async () => {
    if (!ctx.features.configuration) return;
    const [raw] = await connection.workspace.getConfiguration([{ section: 'recipeLens' }]);
    apply(raw);
  };
  connection.onDidChangeConfiguration((params) => {
    if (ctx.features.configuration) void pull();
    else apply((params.settings as { recipeLens?: unknown } | undefined)?.recipeLens);
  });
  return {
    async load(initial: unknown) {
      if (initial !== undefined) apply(initial);
      await pull();
    },
  };
}
