import * as vscode from 'vscode';
import { ConnectionManager } from './auth/connection';
import { ProfileCommands } from './auth/profileCommands';
import { ProfileStore } from './auth/profiles';
import { ProfileStatusBar } from './auth/statusBar';
import { registerCrmCommand, withProgress } from './common/commands';
import { Log } from './common/log';
import { startSandboxAndActivate } from './local/sandboxCommands';
import { SandboxHost } from './local/sandboxHost';
import { CustomersTreeProvider } from './tree/customersTree';

/** What `activate` returns: used by the extension-host tests, never by other extensions. */
export interface StcrmApi {
  store: ProfileStore;
  connections: ConnectionManager;
  sandbox: SandboxHost;
  statusBar: ProfileStatusBar;
  log: Log;
  /** Folder of this extension's log files, so tests can prove no secret was ever logged. */
  logUri: vscode.Uri;
}

export function activate(context: vscode.ExtensionContext): StcrmApi {
  const log = new Log();
  const store = new ProfileStore(context);
  const sandbox = new SandboxHost(log);
  const connections = new ConnectionManager(store, sandbox, log);
  const statusBar = new ProfileStatusBar(store, sandbox);
  const profiles = new ProfileCommands(store, connections, log);
  const tree = new CustomersTreeProvider(connections, log);
  context.subscriptions.push(log, store, sandbox, connections, statusBar, tree);
  context.subscriptions.push(vscode.window.registerTreeDataProvider('stcrm.customers', tree));

  const command = <A extends unknown[], R>(id: string, handler: (...args: A) => Promise<R> | R) =>
    context.subscriptions.push(registerCrmCommand(log, id, handler));

  command('stcrm.addProfile', (arg?: unknown) => profiles.add(arg));
  command('stcrm.editProfile', (arg?: unknown) => profiles.edit(arg));
  command('stcrm.removeProfile', (arg?: unknown) => profiles.remove(arg));
  command('stcrm.selectProfile', (arg?: unknown) => profiles.select(arg));
  command('stcrm.startSandbox', () => withProgress('Starting the local CRM sandbox…', () => startSandboxAndActivate(sandbox, store, log)));
  command('stcrm.stopSandbox', () => sandbox.stop());
  command('stcrm.showLog', () => log.show());

  // A window whose active profile is the sandbox brings its sandbox up by itself.
  if (store.active()?.environment === 'sandbox') {
    sandbox.ensureStarted().catch((error: unknown) => log.error('Could not start the local CRM sandbox', error));
  }
  log.info(`ServiceTitan CRM activated (VS Code ${vscode.version}, ${vscode.env.uiKind === vscode.UIKind.Web ? 'web' : 'desktop'})`);
  return { store, connections, sandbox, statusBar, log, logUri: context.logUri };
}

export function deactivate(): void {
  // Disposables registered on the context stop the sandbox and close transports.
}
