/**
 * Activation: what the customers tree's first page needs, and a door to everything else. The
 * forms' host, request files, record and profile commands (with their quick inputs), the write
 * engine, diagnostics and the sandbox load on first use, each from a file of its own that shares
 * this bundle's modules (scripts/build.mjs); their commands, serializer and providers are
 * registered here.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { ConnectionManager } from './profiles/connection';
import { ProfileStore } from './profiles/profiles';
import { ProfileStatusBar } from './profiles/statusBar';
import { registerCrmCommand, UserCancelled, withProgress } from './common/commands';
import { Log } from './common/log';
import { OnFirstUse } from './common/onFirstUse';
import { startSandboxAndActivate } from './profiles/sandboxProfile';
import { SandboxHost } from './profiles/sandboxHost';
import { WritePipeline } from './records/writePipeline';
import { Forms } from './forms/forms';
import { hasCommandTarget } from './model/commandTarget';
import { RecordChanges } from './model/recordChanges';
import { CustomersTree } from './tree/customersTree';
import { PagedNode, TreeNode } from './tree/treeNode';
import { RecordActions, recordRunOn } from './records/recordActions';
import { RequestFiles } from './requests/requestFiles';
import { AgentTools } from './agentTools/agentTools';
import { SuiteTesting } from './testing/suiteTesting';

/** What `activate` returns: used by the extension-host tests, never by other extensions. */
export interface StcrmApi {
  store: ProfileStore;
  connections: ConnectionManager;
  sandbox: SandboxHost;
  statusBar: ProfileStatusBar;
  log: Log;
  tree: CustomersTree;
  forms: Forms;
  records: RecordChanges;
  /** The one write pipeline; tests answer its confirmations through `writes.ui`. */
  writes: WritePipeline;
  requests: RequestFiles;
  /** The language-model tools; tests read a write tool's confirmation through `load()`. */
  agentTools: AgentTools;
  /** Test suites: the Testing view's controller (tests read its items). */
  suites: SuiteTesting;
  /** Folder of this extension's log files, so tests can prove no secret was ever logged. */
  logUri: vscode.Uri;
  /** The files of the bundle (dist/) that were loaded when `activate` returned, by name. */
  loadedOnActivation: readonly string[];
}

export function activate(context: vscode.ExtensionContext): StcrmApi {
  const log = new Log();
  const store = new ProfileStore(context);
  const sandbox = new SandboxHost(log);
  const connections = new ConnectionManager(store, sandbox, log);
  const statusBar = new ProfileStatusBar(store, sandbox);
  const profiles = new OnFirstUse(async () => new (await import('./profiles/profileCommands.js')).ProfileCommands(store, connections, log));
  const records = new RecordChanges((error) => log.error('Showing a changed record failed', error));
  const tree = new CustomersTree(connections, store, sandbox, log, context.workspaceState, records);
  const actions = new RecordActions(connections, log);
  // Every write, from every surface, goes through this one pipeline and its production guard.
  const writes = new WritePipeline(connections, records, log);
  const forms = new Forms({ extensionUri: context.extensionUri, connections, records, writes, drafts: context.workspaceState, log });
  const selection = () => tree.view.selection;
  const recordCommands = new OnFirstUse(async () => {
    const { CreateCommands, EditCommands, DeleteCommands } = await import('./records/recordCommands.js');
    return {
      creates: new CreateCommands(connections, writes, forms, log),
      edits: new EditCommands(connections, writes, forms, selection),
      deletes: new DeleteCommands(writes, selection, log),
    };
  });
  const requests = new RequestFiles({ connections, store, writes, storage: context.globalStorageUri, extensionUri: context.extensionUri, log });
  // Language-model tools for agents: registered now, loaded on their first call.
  const agentTools = new AgentTools({ connections, store, writes, log, extensionUri: context.extensionUri });
  const suites = new SuiteTesting({ connections, store, writes, records, log });
  context.subscriptions.push(log, store, sandbox, connections, statusBar, tree, actions, profiles, recordCommands, forms, requests, agentTools, suites);

  const command = <A extends unknown[], R>(id: string, handler: (...args: A) => Promise<R> | R) =>
    context.subscriptions.push(registerCrmCommand(log, id, handler));
  const creates = async () => (await recordCommands.get()).creates;
  const edits = async () => (await recordCommands.get()).edits;
  const deletes = async () => (await recordCommands.get()).deletes;

  command('stcrm.addProfile', async (arg?: unknown) => (await profiles.get()).add(arg));
  command('stcrm.editProfile', async (arg?: unknown) => (await profiles.get()).edit(arg));
  command('stcrm.removeProfile', async (arg?: unknown) => (await profiles.get()).remove(arg));
  command('stcrm.selectProfile', async (arg?: unknown) => (await profiles.get()).select(arg));
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
  command('stcrm.createContact', async (arg?: unknown) => (await creates()).createContact(arg));
  command('stcrm.createCustomerContact', async (arg?: unknown) => (await creates()).createCustomerContact(arg));
  command('stcrm.createLocationContact', async (arg?: unknown) => (await creates()).createLocationContact(arg));
  command('stcrm.createContactMethod', async (arg?: unknown) => (await creates()).createContactMethod(arg));
  command('stcrm.editContact', async (arg?: unknown) => (await edits()).editContact(arg));
  command('stcrm.editCustomerContact', async (arg?: unknown) => (await edits()).editCustomerContact(arg));
  command('stcrm.editLocationContact', async (arg?: unknown) => (await edits()).editLocationContact(arg));
  command('stcrm.editContactMethod', async (arg?: unknown) => (await edits()).editContactMethod(arg));
  command('stcrm.deleteCustomerContact', async (arg?: unknown) => (await deletes()).deleteCustomerContact(arg));
  command('stcrm.deleteContact', async (arg?: unknown) => (await deletes()).deleteContact(arg));
  command('stcrm.deleteContactMethod', async (arg?: unknown) => (await deletes()).deleteContactMethod(arg));
  command('stcrm.archiveContact', async (arg?: unknown) => (await deletes()).archiveContact(arg));
  command('stcrm.unarchiveContact', async (arg?: unknown) => (await deletes()).unarchiveContact(arg));

  // Request files (*.stcrm.json).
  command('stcrm.newRequest', async (arg?: unknown) => (await requests.load()).newRequest(arg));
  command('stcrm.sendRequest', async (arg?: unknown) => (await requests.load()).send(arg));
  command('stcrm.copyRequestAsCurl', async (arg?: unknown) => (await requests.load()).copyAsCurl(arg));
  command('stcrm.importCurl', async (arg?: unknown) => (await requests.load()).importCurl(arg));
  // On a node (menus), or the selected one; `{ operation }` (first or second argument) skips the pick.
  command('stcrm.openAsRequest', async (arg?: unknown, options?: unknown) => {
    const record = recordRunOn(hasCommandTarget(arg) ? arg : undefined, selection());
    return (await requests.load()).openAsRequest(record, hasCommandTarget(arg) ? options : arg);
  });
  command('stcrm.compareWithPreviousResponse', async (arg?: unknown) => (await requests.load()).compareWithPrevious(arg));

  // Agents: the MCP server entry for .vscode/mcp.json; `stcrm.runAgentTool` (not in the palette) runs a tool through vscode.lm.invokeTool.
  command('stcrm.addMcpServer', async () => (await agentTools.load()).addMcpServer());
  command('stcrm.runAgentTool', async (arg?: unknown) => (await agentTools.load()).run(arg));
  // Test suites (*.stcrm-suite.json): the Testing view, their CodeLens and diagnostics.
  command('stcrm.runTests', (arg?: unknown) => suites.runTests(arg));

  // A window whose active profile is the sandbox brings its sandbox up by itself.
  if (store.active()?.environment === 'sandbox') {
    sandbox.ensureStarted().catch((error: unknown) => log.error('Could not start the local CRM sandbox', error));
  }
  log.info(`ServiceTitan CRM activated (VS Code ${vscode.version}, ${vscode.env.uiKind === vscode.UIKind.Web ? 'web' : 'desktop'})`);
  return {
    store,
    connections,
    sandbox,
    statusBar,
    log,
    tree,
    forms,
    records,
    writes,
    requests,
    agentTools,
    suites,
    logUri: context.logUri,
    loadedOnActivation: loadedBundleFiles(),
  };
}

/** The files of this bundle in Node's require cache: extension.js and the chunks it required. */
function loadedBundleFiles(): string[] {
  return Object.keys(require.cache)
    .filter((file) => path.dirname(file) === __dirname)
    .map((file) => path.basename(file));
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
