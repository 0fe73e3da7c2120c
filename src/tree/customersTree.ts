import * as vscode from 'vscode';
import type { CrmClient } from '../api/client';
import type { ConnectionManager } from '../auth/connection';
import { errorMessage, isCancellation } from '../common/commands';
import { readSettings } from '../common/config';
import type { Log } from '../common/log';

type Customer = Awaited<ReturnType<CrmClient['listCustomers']>>['data'][number];

type Node =
  | { kind: 'customer'; customer: Customer }
  | { kind: 'loadMore'; shown: number; total?: number; pageSize: number }
  | { kind: 'message'; text: string; icon: string; tooltip?: string; command?: vscode.Command };

/**
 * The `stcrm.customers` view: customers of the active profile, page by page, with a final
 * "Load more" node. Errors become nodes instead of notifications. With no active profile it is
 * empty, so the view's welcome content shows.
 */
export class CustomersTreeProvider implements vscode.TreeDataProvider<Node>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private customers: Customer[] = [];
  private nextPage = 1;
  private hasMore = true;
  private total: number | undefined;
  private loading: Promise<void> | undefined;
  private failure: unknown;
  private readonly subscriptions: vscode.Disposable[];

  constructor(
    private readonly connections: ConnectionManager,
    private readonly log: Log,
  ) {
    this.subscriptions = [
      connections.onDidChangeActive(() => this.reset()),
      vscode.commands.registerCommand('stcrm.tree.loadMore', () => this.loadMore()),
      vscode.commands.registerCommand('stcrm.tree.retry', () => this.reset()),
    ];
  }

  reset(): void {
    this.customers = [];
    this.nextPage = 1;
    this.hasMore = true;
    this.total = undefined;
    this.failure = undefined;
    this.loading = undefined;
    this.changed.fire(undefined);
  }

  async loadMore(): Promise<void> {
    await this.fetchNextPage();
    this.changed.fire(undefined);
  }

  /** Fetches the next page; concurrent callers share one request. */
  private fetchNextPage(): Promise<void> {
    this.loading ??= (async () => {
      try {
        const connection = await this.connections.active();
        if (!connection) return;
        const pageSize = readSettings().pageSize;
        const page = await connection.client.listCustomers({ page: this.nextPage, pageSize, includeTotal: true });
        this.customers.push(...page.data);
        this.total = page.totalCount ?? this.total;
        this.nextPage = page.page + 1;
        // Guard against a server that says hasMore with an empty page: paging must end.
        this.hasMore = page.hasMore && page.data.length > 0;
        this.failure = undefined;
      } catch (error) {
        if (!isCancellation(error)) {
          this.failure = error;
          this.log.error('Loading customers failed', error);
        }
      } finally {
        this.loading = undefined;
      }
    })();
    return this.loading;
  }

  async getChildren(element?: Node): Promise<Node[]> {
    if (element) return [];
    if (!(await this.hasConnection())) return [];
    if (this.customers.length === 0 && this.hasMore && !this.failure) {
      await vscode.window.withProgress({ location: { viewId: 'stcrm.customers' } }, () => this.fetchNextPage());
    }
    const nodes: Node[] = this.customers.map((customer) => ({ kind: 'customer', customer }));
    if (this.failure) {
      nodes.push({ kind: 'message', text: this.log.clean(errorMessage(this.failure)), icon: 'error', command: { command: 'stcrm.tree.retry', title: 'Retry' }, tooltip: 'Click to retry' });
    } else if (this.hasMore && this.customers.length > 0) {
      nodes.push({ kind: 'loadMore', shown: this.customers.length, total: this.total, pageSize: readSettings().pageSize });
    } else if (this.customers.length === 0) {
      nodes.push({ kind: 'message', text: 'No customers', icon: 'info' });
    }
    return nodes;
  }

  private async hasConnection(): Promise<boolean> {
    try {
      return (await this.connections.active()) !== undefined;
    } catch (error) {
      this.failure = error;
      return true;
    }
  }

  getTreeItem(node: Node): vscode.TreeItem {
    switch (node.kind) {
      case 'customer': {
        const item = new vscode.TreeItem(node.customer.name, vscode.TreeItemCollapsibleState.None);
        item.id = `customer:${node.customer.id}`;
        item.description = `#${node.customer.id} · ${node.customer.type}`;
        item.iconPath = new vscode.ThemeIcon(node.customer.type === 'Commercial' ? 'organization' : 'home');
        item.contextValue = 'customer';
        return item;
      }
      case 'loadMore': {
        const of = node.total !== undefined ? ` of ${node.total.toLocaleString('en-US')}` : '';
        const item = new vscode.TreeItem(`Load ${node.pageSize} more · ${node.shown.toLocaleString('en-US')}${of}`);
        item.id = 'loadMore';
        item.iconPath = new vscode.ThemeIcon('more');
        item.command = { command: 'stcrm.tree.loadMore', title: 'Load more' };
        return item;
      }
      case 'message': {
        const item = new vscode.TreeItem(node.text);
        item.iconPath = new vscode.ThemeIcon(node.icon);
        item.tooltip = node.tooltip;
        item.command = node.command;
        return item;
      }
    }
  }

  dispose(): void {
    this.changed.dispose();
    for (const subscription of this.subscriptions) subscription.dispose();
  }
}
