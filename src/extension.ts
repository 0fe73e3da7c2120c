import * as vscode from 'vscode';
import { ConnectionManager } from './profiles/connection';
import { ProfileCommands } from './profiles/profileCommands';
import { ProfileStore } from './profiles/profiles';
import { ProfileStatusBar } from './profiles/statusBar';
import { registerCrmCommand, UserCancelled, withProgress } from './common/commands';
import { Log } from './common/log';
import { startSandboxAndActivate } from './profiles/sandboxProfile';
import { SandboxHost } from './profiles/sandboxHost';
import { DeleteCommands } from './records/deleteCommands';
import { CreateCommands } from './records/createCommands';
import { EditCommands } from './records/editCommands';
import { WritePipeline } from './records/writePipeline';
import { PayloadDiagnostics } from './diagnostics/problemDiagnostics';
import { FormManager } from './forms/formManager';
import { hasCommandTarget } from './model/commandTarget';
import { RecordChanges } from './model/recordChanges';
import { CustomersTree } from './tree/customersTree';
import { PagedNode, TreeNode } from './tree/treeNode';
import { RecordActions, recordRunOn } from './records/recordActions';
import { RequestCommands } from './requests/requestCommands';
import { ResponseView } from './requests/responseView';

/** What `activate` returns: used by the extension-host tests, never by other extensions. */
export interface StcrmApi {
  store: ProfileStore;
  connections: ConnectionManager;
  sandbox: SandboxHost;
  statusBar: ProfileStatusBar;
  log: Log;
  tree: CustomersTree;
  forms: FormManager;
  records: RecordChanges;
  /** The one write pipeline; tests answer its confirmations through `writes.ui`. */
  writes: WritePipeline;
  diagnostics: PayloadDiagnostics;
  requests: RequestCommands;
  responses: ResponseView;
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
  const records = new RecordChanges((error) => log.error('Showing a changed record failed', error));
  const tree = new CustomersTree(connections, store, sandbox, log, context.workspaceState, records);
  const actions = new RecordActions(connections, log);
  const diagnostics = new PayloadDiagnostics();
  // Every write, from every surface, goes through this one pipeline and its production guard.
  const writes = new WritePipeline(connections, records, log);
  const forms = new FormManager({ extensionUri: context.extensionUri, connections, records, writes, diagnostics, drafts: context.workspaceState, log });
  const selection = () => tree.view.selection;
  const creates = new CreateCommands(connections, writes, forms, log);
  const edits = new EditCommands(connections, writes, forms, selection);
  const deletes = new DeleteCommands(writes, selection, log);
  const responses = new ResponseView(context.globalStorageUri);
  const requests = new RequestCommands(connections, writes, responses, context.extensionUri, log);
  // Forms before the diagnostics they clear when they close: subscriptions are disposed in order.
  context.subscriptions.push(log, store, sandbox, connections, statusBar, tree, actions, forms, diagnostics, requests, responses);

  const command = <A extends unknown[], R>(id: string, handler: (...args: A) => Promise<R> | R) =>
    context.subscriptions.push(registerCrmCommand(log, id, handler));

  command('stcrm.addProfile', (arg?: unknown) => profiles.add(arg));
  command('stcrm.editProfile', (arg?: unknown) => profiles.edit(arg));
  command('stcrm.removeProfile', (arg?: unknown) => profiles.remove(arg));
  command('stcrm.selectProfile', (arg?: unknown) => profiles.select(arg));
  command('stcrm.startSandbox', () => withProgress('Starting the local CRM sandbox…', () => startSandboxAndActivate(sandbox, store, log)));
  command('stcrm.stopSandbox', () => sandbox.stop());
  command('stcrm.showLog', () => log.show());

  // The customers tree.
  command('stcrm.refresh', (node?: unknown) => tree.refresh(node instanceof TreeNode ? node : undefined));
  command('stcrm.filterCustomers', (arg?: unknown) => filterCustomers(tree, arg));
  command('stcrm.clearFilter', () => tree.setQuery({ ...tree.currentQuery, name: undefined }));
  command('stcrm.showInactiveCustomers', () => tree.setQuery({ ...tree.currentQuery, showInactive: true }));
  command('stcrm.hideInactiveCustomers', () => tree.setQuery({ ...tree.currentQuery, showInactive: false }));
  // Internal (the Load more and error nodes' clicks): they take the list the node belongs to.
  command('stcrm.tree.loadMore', (list?: unknown) => tree.loadMore(pagedNode(list)));
  command('stcrm.tree.retry', (list?: unknown) => tree.retry(pagedNode(list)));
  command('stcrm.copyId', (node?: unknown) => actions.copyId(recordRunOn(node, selection())));
  command('stcrm.copyAsJson', (node?: unknown) => actions.copyAsJson(recordRunOn(node, selection())));
  command('stcrm.copyAsCurl', (node?: unknown) => actions.copyAsCurl(recordRunOn(node, selection())));
  command('stcrm.openAsJson', (node?: unknown) => actions.openAsJson(recordRunOn(node, selection())));
  command('stcrm.createContact', (arg?: unknown) => creates.createContact(arg));
  command('stcrm.createCustomerContact', (arg?: unknown) => creates.createCustomerContact(arg));
  command('stcrm.createLocationContact', (arg?: unknown) => creates.createLocationContact(arg));
  command('stcrm.createContactMethod', (arg?: unknown) => creates.createContactMethod(arg));
  command('stcrm.editContact', (arg?: unknown) => edits.editContact(arg));
  command('stcrm.editCustomerContact', (arg?: unknown) => edits.editCustomerContact(arg));
  command('stcrm.editLocationContact', (arg?: unknown) => edits.editLocationContact(arg));
  command('stcrm.editContactMethod', (arg?: unknown) => edits.editContactMethod(arg));
  command('stcrm.deleteCustomerContact', (arg?: unknown) => deletes.deleteCustomerContact(arg));
  command('stcrm.deleteContact', (arg?: unknown) => deletes.deleteContact(arg));
  command('stcrm.deleteContactMethod', (arg?: unknown) => deletes.deleteContactMethod(arg));
  command('stcrm.archiveContact', (arg?: unknown) => deletes.archiveContact(arg));
  command('stcrm.unarchiveContact', (arg?: unknown) => deletes.unarchiveContact(arg));

  // Request files (*.stcrm.json).
  command('stcrm.newRequest', (arg?: unknown) => requests.newRequest(arg));
  command('stcrm.sendRequest', (arg?: unknown) => requests.send(arg));
  command('stcrm.copyRequestAsCurl', (arg?: unknown) => requests.copyAsCurl(arg));
  command('stcrm.importCurl', (arg?: unknown) => requests.importCurl(arg));
  // On a node (menus), or the selected one; `{ operation }` (first or second argument) skips the pick.
  command('stcrm.openAsRequest', (arg?: unknown, options?: unknown) =>
    requests.openAsRequest(recordRunOn(hasCommandTarget(arg) ? arg : undefined, selection()), hasCommandTarget(arg) ? options : arg));
  command('stcrm.compareWithPreviousResponse', (arg?: unknown) => requests.compareWithPrevious(arg));

  // A window whose active profile is the sandbox brings its sandbox up by itself.
  if (store.active()?.environment === 'sandbox') {
    sandbox.ensureStarted().catch((error: unknown) => log.error('Could not start the local CRM sandbox', error));
  }
  log.info(`ServiceTitan CRM activated (VS Code ${vscode.version}, ${vscode.env.uiKind === vscode.UIKind.Web ? 'web' : 'desktop'})`);
  return { store, connections, sandbox, statusBar, log, tree, forms, records, writes, diagnostics, requests, responses, logUri: context.logUri };
}

function pagedNode(value: unknown): PagedNode {
  if (value instanceof PagedNode) return value;
  throw new Error('This command is run by the "Load more" and error nodes of the ServiceTitan CRM view.');
}

/** Asks for the text of the server-side name filter (or takes it as a string or `{ name }`). Empty clears it. */
async function filterCustomers(tree: CustomersTree, arg: unknown): Promise<void> {
  let name: string | undefined;
  if (typeof arg === 'string') name = arg;
  else if (typeof arg === 'object' && arg !== null && 'name' in arg && typeof arg.name === 'string') name = arg.name;
  else {
    name = await vscode.window.showInputBox({
      title: 'Filter customers by name',
      prompt: 'ServiceTitan returns every customer whose name contains this text (also those not loaded yet). Leave empty to show all.',
      value: tree.currentQuery.name ?? '',
      placeHolder: 'e.g. Smith',
    });
    if (name === undefined) throw new UserCancelled();
  }
  await tree.setQuery({ ...tree.currentQuery, name });
}

export function deactivate(): void {
  // Disposables registered on the context stop the sandbox and close transports.
}
