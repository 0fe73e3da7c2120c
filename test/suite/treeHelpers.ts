import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { CrmClient, createTransport, customEnvironment, type CrmTransport } from '../../src/api';
import type { StcrmApi } from '../../src/extension';
import type { Contact, Customer } from '../../src/api';
import type { PagedNode, TreeNode } from '../../src/tree/treeNode';
import type { RunningSandbox } from '../../sandbox';

export function labelOf(api: StcrmApi, node: TreeNode): string {
  const label = api.tree.getTreeItem(node).label;
  return typeof label === 'string' ? label : (label?.label ?? '');
}

export function descriptionOf(api: StcrmApi, node: TreeNode): string {
  const description = api.tree.getTreeItem(node).description;
  return typeof description === 'string' ? description : '';
}

export function children(api: StcrmApi, node?: TreeNode): Promise<TreeNode[]> {
  return api.tree.getChildren(node);
}

/** The child whose label is exactly `label`. */
export async function child(api: StcrmApi, parent: TreeNode | undefined, label: string): Promise<TreeNode> {
  const nodes = await children(api, parent);
  const found = nodes.find((node) => labelOf(api, node) === label);
  assert.ok(found, `no child "${label}" under ${parent ? labelOf(api, parent) : 'the root'}; children: ${nodes.map((n) => labelOf(api, n)).join(' | ')}`);
  return found;
}

/** Entity nodes only (no Load more, message or error nodes). */
export async function records(api: StcrmApi, parent?: TreeNode): Promise<TreeNode[]> {
  return (await children(api, parent)).filter((node) => node.entity !== undefined);
}

/**
 * The tree item's contextValue: what menus key on, and what tests use to tell nodes apart (the
 * extension runs from its bundle, so `instanceof` against the test's own copy of a class fails).
 */
export function contextOf(api: StcrmApi, node: TreeNode | undefined): string | undefined {
  return node ? api.tree.getTreeItem(node).contextValue : undefined;
}

export function customerOf(node: TreeNode | undefined): Customer | undefined {
  return node?.entity?.kind === 'customer' ? node.entity.customer : undefined;
}

export function personOf(node: TreeNode | undefined): Contact | undefined {
  return node?.entity?.kind === 'person' ? node.entity.contact : undefined;
}

/** Clicks a node as the user would: runs its tree item's command with its arguments. */
export async function click(api: StcrmApi, node: TreeNode): Promise<void> {
  const command = api.tree.getTreeItem(node).command;
  assert.ok(command, `"${labelOf(api, node)}" has no click action`);
  const args: unknown[] = command.arguments ?? [];
  await vscode.commands.executeCommand(command.command, ...args);
}

/** The list a Load more or error node belongs to (the argument its click passes). */
export function listOf(api: StcrmApi, node: TreeNode): PagedNode {
  const argument: unknown = api.tree.getTreeItem(node).command?.arguments?.[0];
  assert.ok(argument, `"${labelOf(api, node)}" names no list`);
  return argument as PagedNode;
}

/** Clicks "Load more" under `parent` until it is gone; returns every child then. */
export async function loadAll(api: StcrmApi, parent?: TreeNode): Promise<TreeNode[]> {
  for (let guard = 0; guard < 10_000; guard++) {
    const nodes = await children(api, parent);
    const more = nodes.find((node) => contextOf(api, node) === 'loadMore');
    if (!more) return nodes;
    await click(api, more);
  }
  assert.fail('paging never ended');
}

/** A client of its own for the test sandbox, to check what the tree shows against the server. */
export function directClient(
  sandbox: RunningSandbox,
  clientId = sandbox.credentials.clientId,
  clientSecret = sandbox.credentials.clientSecret,
): { client: CrmClient; transport: CrmTransport } {
  const transport = createTransport({
    environment: customEnvironment(sandbox.url, `${sandbox.url}/connect/token`),
    tenant: sandbox.tenant,
    clientId,
    clientSecret,
    appKey: sandbox.credentials.appKey,
  });
  return { client: new CrmClient(transport), transport };
}

export function profileFor(sandbox: RunningSandbox, name: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name,
    environment: 'custom',
    tenant: sandbox.tenant,
    apiBaseUrl: sandbox.url,
    tokenUrl: `${sandbox.url}/connect/token`,
    clientId: sandbox.credentials.clientId,
    clientSecret: sandbox.credentials.clientSecret,
    appKey: sandbox.credentials.appKey,
    ...overrides,
  };
}
