import * as vscode from 'vscode';
import type { CrmClient } from '../api/client';
import type { ConnectionManager } from '../profiles/connection';
import type { ProfileStore } from '../profiles/profiles';
import { Disposable } from '../common/lifecycle';
import type { Log } from '../common/log';
import { notifyProblem } from '../common/notifications';
import type { SandboxHost } from '../profiles/sandboxHost';
import { readSettings } from '../common/config';
import { settingKey } from '../common/settings';
import { parentIdOf, type RecordChange, type RecordChanges } from '../model/recordChanges';
import { entityId, entityRecord, type EntityKind } from '../model/entities';
import { CustomersRoot, type CustomerQuery } from './crmNodes';
import type { LoadFailure } from './loadFailure';
import { FailureNode, ListNode, MessageNode, PagedNode, TreeNode, type TreeContext } from './treeNode';

export const CUSTOMERS_VIEW = 'stcrm.customers';
const SHOW_INACTIVE_KEY = 'stcrm.tree.showInactive';

/**
 * The `stcrm.customers` view. Nodes load their own pages (see ListNode); this class owns what
 * concerns the whole view: the root for the active profile, the filter, the inactive toggle,
 * and failure states that must not repeat (one node and one prompt for rejected credentials,
 * one notification and a stale banner when the server is out of reach).
 */
export class CustomersTree extends Disposable implements vscode.TreeDataProvider<TreeNode> {
  private readonly changedEmitter = this.register(new vscode.EventEmitter<TreeNode | undefined>());
  readonly onDidChangeTreeData = this.changedEmitter.event;
  readonly view: vscode.TreeView<TreeNode>;
  private root: CustomersRoot | undefined;
  private query: CustomerQuery;
  private authFailure: LoadFailure | undefined;
  private authPrompted = false;
  private offlineNotified = false;
  /** Lists whose last load failed because the server was out of reach (stale or empty). */
  private readonly offlineLists = new Set<PagedNode>();
  private readonly ctx: TreeContext;
  /** Ids of the nodes expanded in the view (the view fetches their children when they change). */
  private readonly expanded = new Set<string>();

  constructor(
    private readonly connections: ConnectionManager,
    private readonly store: ProfileStore,
    private readonly sandbox: SandboxHost,
    private readonly log: Log,
    private readonly memento: vscode.Memento,
    records: RecordChanges,
  ) {
    super();
    this.query = { showInactive: memento.get<boolean>(SHOW_INACTIVE_KEY, false) };
    this.ctx = {
      withClient: (call) => this.withClient(call),
      pageSize: () => readSettings().pageSize,
      changed: (node) => this.fire(node),
      progress: (work) => Promise.resolve(vscode.window.withProgress({ location: { viewId: CUSTOMERS_VIEW } }, () => work)),
      failed: (list, failure, error) => this.onFailure(list, failure, error),
      succeeded: (list) => this.onSuccess(list),
    };
    this.view = this.register(vscode.window.createTreeView(CUSTOMERS_VIEW, { treeDataProvider: this, showCollapseAll: true }));
    this.register(records.subscribe((change) => this.apply(change)));
    this.register(connections.onDidChangeActive(() => this.reset()));
    this.register(this.view.onDidExpandElement((event) => this.expanded.add(event.element.id)));
    this.register(this.view.onDidCollapseElement((event) => this.expanded.delete(event.element.id)));
    // Lets the palette offer Copy, Open and Delete for the record selected in the view.
    this.register(
      this.view.onDidChangeSelection((event) => {
        void vscode.commands.executeCommand('setContext', 'stcrm.selectedKind', event.selection[0]?.entity?.kind ?? '');
      }),
    );
    this.register(
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (event.affectsConfiguration(settingKey('pageSize'))) this.refresh();
      }),
    );
    this.updateViewState();
  }

  /** The current root list (undefined before the view first loads or without a profile). */
  get rootList(): CustomersRoot | undefined {
    return this.root;
  }
  get currentQuery(): Readonly<CustomerQuery> {
    return this.query;
  }

  async getChildren(element?: TreeNode): Promise<TreeNode[]> {
    if (element) return element.children();
    const profile = this.store.active();
    if (!profile) return []; // the view's welcome content shows instead
    if (this.authFailure) return [new FailureNode(undefined, this.authFailure, profile.id)];
    if (profile.environment === 'sandbox' && this.sandbox.stoppedByUser) {
      // Loading would start it again right after the user stopped it.
      return [
        new MessageNode(undefined, 'sandboxStopped', 'The local sandbox is stopped · click to start it', 'debug-start', {
          command: { command: 'stcrm.startSandbox', title: 'Start Local Sandbox' },
        }),
      ];
    }
    this.root ??= new CustomersRoot(`p:${profile.id}`, this.ctx, this.query);
    const nodes = await this.root.children();
    // Credentials rejected while loading: the whole view is that one node.
    return this.authFailure ? [new FailureNode(undefined, this.authFailure, profile.id)] : nodes;
  }

  getTreeItem(node: TreeNode): vscode.TreeItem {
    return node.treeItem();
  }

  getParent(node: TreeNode): TreeNode | undefined {
    return node.parent === this.root ? undefined : node.parent;
  }

  /** Reloads one node (or the whole view) the next time it is drawn, keeping the old data until then. */
  refresh(node?: TreeNode): void {
    const failed = node?.failedList();
    if (failed) {
      void this.retry(failed);
      return;
    }
    if (!node || (node.parent === undefined && !(node instanceof PagedNode))) {
      this.authFailure = undefined;
      for (const list of this.loadedLists()) list.invalidate();
      this.fire(undefined);
      return;
    }
    this.fire(node.invalidate());
  }

  async loadMore(list: PagedNode): Promise<void> {
    await list.loadMore();
    this.fire(list);
  }

  /** Tries again what failed in a list (its next page or its first page). */
  async retry(list: PagedNode): Promise<void> {
    await list.retry();
    this.fire(list);
  }

  async setQuery(query: CustomerQuery): Promise<void> {
    this.query = { name: query.name?.trim() || undefined, showInactive: query.showInactive };
    await this.memento.update(SHOW_INACTIVE_KEY, this.query.showInactive);
    this.root = undefined;
    this.forgetUnshownLists();
    this.updateViewState();
    this.fire(undefined);
  }

  /** Selects a node (and focuses the view when asked), expanding its parents. */
  async reveal(node: TreeNode, focus = true): Promise<void> {
    try {
      await this.view.reveal(node, { select: true, focus, expand: false });
    } catch (error) {
      // The record exists either way: failing to select it must not fail the command.
      this.log.warn(`Could not reveal ${node.id}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  /** Shows a change to a record in every loaded node it concerns, and nowhere else. */
  async apply(published: RecordChange): Promise<void> {
    // Records written by a command are the server's answers: redacted like loaded pages.
    const change = this.log.cleanDeep(published);
    if (change.type === 'deleted') {
      for (const list of this.listsHolding(change.kind, change.parentId)) if (list.removeItem(change.id)) this.fire(list);
      return;
    }
    if (change.type === 'updated') {
      for (const list of this.listsHolding(change.entity.kind, parentIdOf(change.entity))) {
        if (!list.replaceItem(entityRecord(change.entity))) continue;
        this.fire(list.nodeForKey(entityId(change.entity)) ?? list);
      }
      return;
    }
    const lists =
      change.entity.kind === 'person'
        ? (change.relatedTo ?? []).flatMap((id) => this.listsHolding('person', String(id), true))
        : this.listsHolding(change.entity.kind, parentIdOf(change.entity), true);
    const reveal = change.reveal ?? 'select';
    if (reveal === 'none') {
      // A step of a larger create (a contact method of a new person): shown where its list is loaded, no reload.
      for (const list of lists) if (list.loaded && list.include(entityRecord(change.entity))) this.fire(list);
      return;
    }
    const node = await this.showCreated(lists, entityRecord(change.entity));
    this.log.trace(
      `New ${change.entity.kind} ${entityId(change.entity)}: ${node ? `shown as ${node.id}` : 'in no loaded list'} (${lists.length} list(s), reveal ${reveal})`,
    );
    if (node) await this.reveal(node, reveal === 'focus');
    else if (!node && reveal === 'focus')
      void vscode.window.showInformationMessage(
        'Created. Its customer or contact is not loaded in the Customers view, so it is not shown there: filter the view to find it.',
      );
  }

  /**
   * The loaded lists that show records of `kind` under `parentId`: each list answers for itself
   * (`ListNode.holds`). With `collapsed`, a loaded customer's groups count even before it was
   * expanded (making them costs no request): showing a new record there expands it.
   */
  private listsHolding(kind: EntityKind, parentId: string | undefined, collapsed = false): ListNode<unknown>[] {
    const nodes = this.root ? [this.root, ...this.loadedNodes(undefined, collapsed)] : [];
    return nodes.filter((node): node is ListNode<unknown> => node instanceof ListNode && node.holds(kind, parentId));
  }

  /**
   * After a create: reloads each list the new record belongs to and makes sure it shows, even
   * when its page is not loaded yet. Returns the first node that shows it.
   */
  private async showCreated<T>(lists: readonly ListNode<T>[], item: T): Promise<TreeNode | undefined> {
    let first: TreeNode | undefined;
    const drawn: Promise<void>[] = [];
    for (const list of lists) {
      await list.reload();
      first ??= list.include(item);
      if (this.view.visible && this.expanded.has(list.id)) drawn.push(list.nextDrawn());
      // This redraw shows the new count too. A second one, later, would drop the ids the reveal
      // below registers, and VS Code would lose the selection.
      list.redrawnByCaller();
      this.fire(list);
    }
    // Reveal only after the view fetched the new children of an expanded list: a reveal racing
    // that fetch makes VS Code register the same ids twice ("Element with id … is already
    // registered"). The time limit covers a fetch that never comes.
    if (drawn.length > 0) await Promise.race([Promise.all(drawn), new Promise((resolve) => setTimeout(resolve, 2000))]);
    return first;
  }

  loadedLists(): PagedNode[] {
    const nodes = this.root ? [this.root, ...this.loadedNodes()] : [];
    return nodes.filter((node): node is PagedNode => node instanceof PagedNode);
  }

  /** Every loaded node, depth first (nothing is loaded to find them); with `collapsed`, `knownChildren` too. */
  *loadedNodes(from: readonly TreeNode[] = this.root?.loadedChildren() ?? [], collapsed = false): Generator<TreeNode> {
    for (const node of from) {
      yield node;
      yield* this.loadedNodes(collapsed ? node.knownChildren() : node.loadedChildren(), collapsed);
    }
  }

  fire(node: TreeNode | undefined): void {
    this.changedEmitter.fire(node === this.root ? undefined : node);
  }

  private reset(): void {
    this.root = undefined;
    this.authFailure = undefined;
    this.authPrompted = false;
    this.offlineNotified = false;
    this.offlineLists.clear();
    this.updateViewState();
    this.fire(undefined);
  }

  /**
   * Runs a load with the active client. What it returns is the server's text, and a hostile
   * server may write a secret into a record: the view keeps (and shows, copies) it redacted.
   */
  private async withClient<T>(call: (client: CrmClient) => Promise<T>): Promise<T> {
    return this.log.cleanDeep(await call(await this.connections.client()));
  }

  private onFailure(list: PagedNode, failure: LoadFailure, error: unknown): void {
    this.log.error(`Loading ${describeList(list)} failed`, error);
    if (failure.kind === 'auth') {
      // One node for the whole view, one prompt per profile: never a prompt per expanded node.
      this.authFailure = failure;
      this.fire(undefined);
      if (!this.authPrompted) {
        this.authPrompted = true;
        const name = this.store.active()?.name ?? 'the active profile';
        this.log.info(`Asking to edit profile "${name}": its credentials were rejected`);
        void notifyProblem(this.log, 'warning', `ServiceTitan rejected the credentials of "${name}": ${failure.message}`, ['Edit Profile']).then((choice) => {
          if (choice === 'Edit Profile') void vscode.commands.executeCommand('stcrm.editProfile');
        });
      }
      return;
    }
    if (failure.kind === 'offline') {
      this.offlineLists.add(list);
      this.updateViewState();
      if (!this.offlineNotified) {
        this.offlineNotified = true;
        this.log.info('Telling the user that ServiceTitan cannot be reached (once per outage)');
        void notifyProblem(this.log, 'warning', `Cannot reach ServiceTitan: ${failure.message} The view keeps the last loaded data; Refresh tries again.`, [
          'Refresh',
        ]).then((choice) => {
          if (choice === 'Refresh') this.refresh();
        });
      }
    }
  }

  /** Lists that left the view (a new filter, a reloaded parent) no longer count as offline. */
  private forgetUnshownLists(): void {
    const shown = new Set(this.loadedLists());
    for (const list of this.offlineLists) if (!shown.has(list)) this.offlineLists.delete(list);
  }

  private onSuccess(list: PagedNode): void {
    const wasOffline = this.offlineLists.delete(list);
    if (wasOffline) this.forgetUnshownLists();
    // One notification per outage: the next one is announced once every list has recovered.
    if (this.offlineLists.size === 0) this.offlineNotified = false;
    if (wasOffline) this.updateViewState();
  }

  private updateViewState(): void {
    const parts: string[] = [];
    if (this.query.name) parts.push(`“${this.query.name}”`);
    if (this.query.showInactive) parts.push('incl. inactive');
    this.view.description = parts.join(' · ') || undefined;
    this.view.message = [...this.offlineLists].some((list) => list.stale) ? 'Offline: showing the last loaded data. Refresh to try again.' : undefined;
    void vscode.commands.executeCommand('setContext', 'stcrm.customersFiltered', this.query.name !== undefined);
    void vscode.commands.executeCommand('setContext', 'stcrm.showingInactive', this.query.showInactive);
  }
}

function describeList(list: PagedNode): string {
  return list.parent === undefined ? 'customers' : list.id.replace(/^p:[^/]+\//, '');
}
