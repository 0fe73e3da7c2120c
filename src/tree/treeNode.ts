import * as vscode from 'vscode';
import type { CrmClient } from '../api/client';
import type { Page, PageQuery } from '../api/paging';
import { COMMAND_TARGET, type CommandTarget, type HasCommandTarget } from '../model/commandTarget';
import type { Entity, EntityKind } from '../model/entities';
import { classifyLoadError, type LoadFailure } from './loadFailure';
import { PagedList } from './pagedList';

/** What every node needs from the tree that owns it. */
export interface TreeContext {
  /** Runs a call with the active profile's client; throws when no profile is active. */
  withClient<T>(call: (client: CrmClient) => Promise<T>): Promise<T>;
  pageSize(): number;
  /** Redraws a node (undefined: the whole tree). */
  changed(node: TreeNode | undefined): void;
  /** Shows progress in the view while a first page loads. */
  progress<T>(work: Promise<T>): Promise<T>;
  /** Reports a failed load once per kind (log, one prompt, one notification). */
  failed(node: PagedNode, failure: LoadFailure, error: unknown): void;
  /** Reports a load that worked, so the view can leave its stale/offline state. */
  succeeded(node: PagedNode): void;
}

/** A node of the customers tree. Ids are paths from the root, so they survive refreshes. */
export abstract class TreeNode implements HasCommandTarget {
  abstract readonly id: string;
  /** The CRM record behind the node, for copy, open and delete actions. */
  entity: Entity | undefined;

  constructor(readonly parent: TreeNode | undefined) {}

  /** What a command run on this node acts on (src/model/commandTarget.ts): its record, if it shows one. */
  get [COMMAND_TARGET](): CommandTarget | undefined {
    return this.entity && { record: this.entity };
  }

  abstract treeItem(): vscode.TreeItem;

  children(): Promise<TreeNode[]> {
    return Promise.resolve([]);
  }

  /** Children that are already loaded, without loading anything (used to find nodes). */
  loadedChildren(): readonly TreeNode[] {
    return [];
  }

  /** Children that exist or can be made without a request: a collapsed customer's groups too. */
  knownChildren(): readonly TreeNode[] {
    return this.loadedChildren();
  }

  /** The list that a refresh of this node loads again instead of the node (a failure's or stale banner's list). */
  failedList(): PagedNode | undefined {
    return undefined;
  }

  /** Makes the node load again the next time it is drawn and returns the node to redraw. */
  invalidate(): TreeNode | undefined {
    return this.parent?.invalidate();
  }
}

/** What the view needs of any paged node, whatever its records are. */
export abstract class PagedNode extends TreeNode {
  abstract readonly loaded: boolean;
  abstract readonly stale: boolean;
  abstract readonly totalCount: number | undefined;
  abstract readonly itemCount: number;
  abstract reload(fresh?: boolean): Promise<void>;
  abstract loadMore(): Promise<void>;
  abstract retry(): Promise<void>;
  abstract removeItem(key: string): boolean;
  abstract nodeForKey(key: string): TreeNode | undefined;
}

/**
 * A node whose children are a paged CRM list: the first page loads on expand, "Load more"
 * appends in place, concurrent expansions share one request, and a failed load becomes a node
 * (or, when the server is out of reach, keeps the last good items marked stale).
 */
export abstract class ListNode<T> extends PagedNode {
  private list: PagedList<T> | undefined;
  private failure: LoadFailure | undefined;
  private failedAt: Date | undefined;
  /** Whether the failure came from "Load more" (retry that page) or from the first page (reload). */
  private failedOnMore = false;
  private reloading: Promise<void> | undefined;
  private wantReload = false;
  private readonly nodes = new Map<string, TreeNode>();

  constructor(
    parent: TreeNode | undefined,
    protected readonly ctx: TreeContext,
  ) {
    super(parent);
  }

  /** One page of the list; `includeTotal` is asked on the first page only, the only one whose total is shown. */
  protected abstract loadPage(client: CrmClient, page: PageQuery): Promise<Page<T>>;
  protected abstract keyOf(item: T): string;
  /** A node for an item; `existing` is the node shown for the same key before, to update in place. */
  protected abstract nodeFor(item: T, existing: TreeNode | undefined): TreeNode;
  /** What an empty list says: "No phones or emails". */
  protected abstract readonly emptyLabel: string;
  /**
   * Whether this list shows records of `kind` whose parent (`RecordChange.parentId`) is
   * `parentId`; undefined when the change names no parent. The tree asks every list, so a
   * changed record shows wherever it is listed.
   */
  abstract holds(kind: EntityKind, parentId: string | undefined): boolean;

  get items(): readonly T[] {
    return this.list?.items ?? [];
  }
  get totalCount(): number | undefined {
    return this.list?.totalCount;
  }
  get itemCount(): number {
    return this.items.length;
  }
  /** Whether the item of this node shows a count that is only known after loading (groups). */
  protected readonly showsCount: boolean = false;
  get loaded(): boolean {
    return this.list !== undefined;
  }
  get stale(): boolean {
    return this.failure?.kind === 'offline' && this.items.length > 0;
  }

  override async children(): Promise<TreeNode[]> {
    if (this.wantReload) await this.reload(true);
    else if (!this.list) await this.reload();
    const nodes = this.render();
    for (const resolve of this.drawnWaiters.splice(0)) resolve();
    if (this.countToRedraw) {
      this.countToRedraw = false;
      // Redraw the node's own item (its count) only after the view has taken these children:
      // a redraw while it is still fetching them makes VS Code register the same ids twice.
      setTimeout(() => this.ctx.changed(this), 0);
    }
    return nodes;
  }
  private countToRedraw = false;

  /** The caller redraws this node now (its count included): no redraw of its own is due. */
  redrawnByCaller(): void {
    this.countToRedraw = false;
  }

  /** Resolves the next time the view has fetched this node's children (after a redraw). */
  nextDrawn(): Promise<void> {
    return new Promise((resolve) => this.drawnWaiters.push(resolve));
  }
  private readonly drawnWaiters: (() => void)[] = [];

  override loadedChildren(): readonly TreeNode[] {
    return [...this.nodes.values()];
  }

  override invalidate(): TreeNode {
    this.wantReload = true;
    return this;
  }

  /**
   * Loads page 1 afresh. The old items stay until it arrives, and stay (stale) if the server is
   * out of reach. Callers during a load share it, unless `fresh` asks for data newer than the
   * load in flight (a Refresh): then one more load follows it.
   */
  reload(fresh = false): Promise<void> {
    this.wantReload = false;
    const current = this.reloading;
    const next = current && fresh ? current.then(() => this.fetchFirstPage()) : (current ?? this.fetchFirstPage());
    if (next === current) return current;
    const tracked: Promise<void> = next.finally(() => {
      if (this.reloading === tracked) this.reloading = undefined;
    });
    this.reloading = tracked;
    return tracked;
  }

  async loadMore(): Promise<void> {
    if (!this.list) return this.reload();
    try {
      await this.ctx.progress(this.list.loadNext());
      this.recovered();
    } catch (error) {
      this.fail(error, true);
    }
  }

  /** Tries again what failed: the next page after a failed "Load more", else the first page. */
  retry(): Promise<void> {
    return this.failedOnMore ? this.loadMore() : this.reload(true);
  }

  /** Puts a record the user just created into the list (at its end if its page is not loaded). */
  include(item: T): TreeNode | undefined {
    this.list?.include(item);
    this.render();
    return this.nodes.get(this.keyOf(item));
  }

  replaceItem(item: T): boolean {
    const replaced = this.list?.replace(item) ?? false;
    if (replaced) this.render();
    return replaced;
  }

  removeItem(key: string): boolean {
    const removed = this.list?.remove(key) ?? false;
    if (removed) this.nodes.delete(key);
    return removed;
  }

  nodeForKey(key: string): TreeNode | undefined {
    return this.nodes.get(key);
  }

  private async fetchFirstPage(): Promise<void> {
    const fresh = new PagedList<T>(
      (page, pageSize) => this.ctx.withClient((client) => this.loadPage(client, { page, pageSize, includeTotal: page === 1 })),
      () => this.ctx.pageSize(),
      (item) => this.keyOf(item),
    );
    try {
      await this.ctx.progress(fresh.loadNext());
      const countChanged = fresh.totalCount !== this.list?.totalCount || !this.list;
      this.list = fresh;
      this.recovered();
      // The node's own item shows the count (group descriptions): redraw it once it is known.
      if (countChanged && this.showsCount) this.countToRedraw = true;
    } catch (error) {
      this.fail(error);
    }
  }

  private recovered(): void {
    const wasFailing = this.failure !== undefined;
    this.failure = undefined;
    this.failedAt = undefined;
    this.failedOnMore = false;
    if (wasFailing || this.list) this.ctx.succeeded(this);
  }

  private fail(error: unknown, onMore = false): void {
    this.failure = classifyLoadError(error);
    this.failedAt = new Date();
    this.failedOnMore = onMore;
    this.ctx.failed(this, this.failure, error);
  }

  private render(): TreeNode[] {
    const out: TreeNode[] = [];
    const keys = new Set<string>();
    for (const item of this.items) {
      const key = this.keyOf(item);
      keys.add(key);
      const node = this.nodeFor(item, this.nodes.get(key));
      this.nodes.set(key, node);
      out.push(node);
    }
    for (const key of [...this.nodes.keys()]) if (!keys.has(key)) this.nodes.delete(key);

    if (this.failure) {
      out.push(this.stale ? new StaleNode(this, this.failure, this.failedAt ?? new Date()) : new FailureNode(this, this.failure));
    } else if (this.list?.hasMore) {
      out.push(new LoadMoreNode(this, this.list.serverCount, this.list.totalCount, this.ctx.pageSize()));
    } else if (this.items.length === 0) {
      out.push(new MessageNode(this, 'empty', this.emptyLabel, 'info'));
    }
    return out;
  }
}

/** "Load 50 more · 150 of 1,240": appends the next page in place. */
export class LoadMoreNode extends TreeNode {
  readonly id: string;
  constructor(
    readonly list: PagedNode,
    readonly shown: number,
    readonly total: number | undefined,
    readonly pageSize: number,
  ) {
    super(list);
    this.id = `${list.id}/more`;
  }
  get label(): string {
    const next = this.total === undefined ? this.pageSize : Math.min(this.pageSize, Math.max(0, this.total - this.shown));
    const of = this.total === undefined ? ' shown' : ` of ${this.total.toLocaleString('en-US')}`;
    return `Load ${next.toLocaleString('en-US')} more · ${this.shown.toLocaleString('en-US')}${of}`;
  }
  treeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.label);
    item.id = this.id;
    item.iconPath = new vscode.ThemeIcon('more');
    item.contextValue = 'loadMore';
    item.command = { command: 'stcrm.tree.loadMore', title: 'Load More', arguments: [this.list] };
    return item;
  }
}

/** A line of text in the tree: "No customers", "No phones or emails". */
export class MessageNode extends TreeNode {
  readonly id: string;
  constructor(
    parent: TreeNode | undefined,
    suffix: string,
    readonly label: string,
    private readonly icon: string,
    private readonly options: { tooltip?: string | vscode.MarkdownString; command?: vscode.Command; contextValue?: string } = {},
  ) {
    super(parent);
    this.id = `${parent?.id ?? 'root'}/${suffix}`;
  }
  treeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.label);
    item.id = this.id;
    item.iconPath = new vscode.ThemeIcon(this.icon);
    item.tooltip = this.options.tooltip;
    item.command = this.options.command;
    item.contextValue = this.options.contextValue ?? 'message';
    return item;
  }
}

/** A failed load: the message, click to retry; inline Retry and Show Log. */
export class FailureNode extends MessageNode {
  /** `list` is the list that failed; for rejected credentials (the whole view) none, but the profile to edit. */
  constructor(
    readonly list: PagedNode | undefined,
    readonly failure: LoadFailure,
    profileId?: string,
  ) {
    super(list, 'error', failureLabel(failure), failureIcon(failure), {
      tooltip: new vscode.MarkdownString(
        `${failure.message}\n\n${failure.kind === 'auth' ? 'Click to edit the profile.' : 'Click to try again, or open the log for details.'}`,
      ),
      command:
        failure.kind === 'auth'
          ? { command: 'stcrm.editProfile', title: 'Edit Profile', arguments: profileId ? [profileId] : [] }
          : { command: 'stcrm.tree.retry', title: 'Retry', arguments: [list] },
      contextValue: `error.${failure.kind}`,
    });
  }
  override failedList(): PagedNode | undefined {
    return this.list;
  }
}

/** Shown after the last good items when the server could not be reached. */
export class StaleNode extends MessageNode {
  constructor(
    readonly list: PagedNode,
    readonly failure: LoadFailure,
    since: Date,
  ) {
    super(list, 'stale', `Offline · showing data loaded before ${since.toLocaleTimeString()} · click to retry`, 'warning', {
      tooltip: new vscode.MarkdownString(`${failure.message}\n\nThe items above may be out of date. Click to try again.`),
      command: { command: 'stcrm.tree.retry', title: 'Retry', arguments: [list] },
      contextValue: 'stale',
    });
  }
  override failedList(): PagedNode {
    return this.list;
  }
}

function failureLabel(failure: LoadFailure): string {
  switch (failure.kind) {
    case 'auth':
      return `Credentials rejected · click to edit the profile`;
    case 'forbidden':
      return failure.scope ? `Missing API scope ${failure.scope}` : `Not allowed: ${failure.message}`;
    case 'offline':
      return `Cannot reach ServiceTitan: ${failure.message}`;
    case 'other':
      return failure.message;
  }
}

function failureIcon(failure: LoadFailure): string {
  switch (failure.kind) {
    case 'auth':
      return 'key';
    case 'forbidden':
      return 'lock';
    case 'offline':
      return 'debug-disconnect';
    case 'other':
      return 'error';
  }
}
