import * as vscode from 'vscode';
import type { CrmClient } from '../api/client';
import type { Page, PageQuery } from '../api/paging';
import type { ActiveFilter, Contact, ContactMethod, ContactType, Customer, CustomerContact, Location, LocationContact } from '../api/schemas';
import { COMMAND_TARGET, type CommandTarget } from '../model/commandTarget';
import { CONTACT_TYPE_LABELS, formatAddress, personName, type Entity, type EntityKind } from '../model/entities';
import { ListNode, TreeNode, type PagedNode, type TreeContext } from './treeNode';

/** What the root list asks the server for: the name filter and whether inactive customers show. */
export interface CustomerQuery {
  name?: string;
  showInactive: boolean;
}

/** The root: customers of the active profile. Not drawn itself; its children are the view's top level. */
export class CustomersRoot extends ListNode<Customer> {
  protected readonly emptyLabel: string;
  constructor(
    readonly id: string,
    ctx: TreeContext,
    readonly query: CustomerQuery,
  ) {
    super(undefined, ctx);
    this.emptyLabel = query.name
      ? `No ${query.showInactive ? '' : 'active '}customer name contains “${query.name}”`
      : query.showInactive
        ? 'No customers'
        : 'No active customers';
  }
  holds(kind: EntityKind, parentId: string | undefined): boolean {
    return kind === 'customer' && parentId === undefined;
  }
  protected loadPage(client: CrmClient, page: PageQuery): Promise<Page<Customer>> {
    const active: ActiveFilter | undefined = this.query.showInactive ? 'Any' : undefined;
    return client.listCustomers({ ...page, name: this.query.name, active });
  }
  protected keyOf(customer: Customer): string {
    return String(customer.id);
  }
  protected nodeFor(customer: Customer, existing: TreeNode | undefined): TreeNode {
    if (existing instanceof CustomerNode) {
      existing.update(customer);
      return existing;
    }
    return new CustomerNode(this, this.ctx, customer);
  }
  treeItem(): vscode.TreeItem {
    return new vscode.TreeItem('Customers');
  }
}

export class CustomerNode extends TreeNode {
  readonly id: string;
  private groups: [PhonesGroup, PeopleGroup, LocationsGroup] | undefined;

  constructor(
    parent: CustomersRoot,
    private readonly ctx: TreeContext,
    private customer: Customer,
  ) {
    super(parent);
    this.id = `${parent.id}/customer/${customer.id}`;
    this.entity = { kind: 'customer', customer };
  }

  get record(): Customer {
    return this.customer;
  }

  update(customer: Customer): void {
    this.customer = customer;
    this.entity = { kind: 'customer', customer };
  }

  override children(): Promise<TreeNode[]> {
    return Promise.resolve([...this.groupNodes()]);
  }
  override loadedChildren(): readonly TreeNode[] {
    return this.groups ?? [];
  }
  /** Its groups even while collapsed: a record created there shows once the customer expands. */
  override knownChildren(): readonly TreeNode[] {
    return this.groupNodes();
  }
  /** Refreshing a customer reloads each of its groups the next time they show. */
  override invalidate(): TreeNode {
    for (const group of this.groups ?? []) group.invalidate();
    return this;
  }

  treeItem(): vscode.TreeItem {
    const c = this.customer;
    const item = new vscode.TreeItem(c.name, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = this.id;
    item.description = `#${c.id} · ${c.type}${c.active ? '' : ' · inactive'}`;
    item.iconPath = new vscode.ThemeIcon(c.type === 'Commercial' ? 'organization' : 'home', c.active ? undefined : new vscode.ThemeColor('disabledForeground'));
    item.contextValue = 'entity.customer';
    const tooltip = new vscode.MarkdownString(undefined, true);
    tooltip.appendMarkdown(`**${escape(c.name)}** · ${c.type} customer #${c.id}${c.active ? '' : ' · _inactive_'}\n\n`);
    tooltip.appendMarkdown(`$(location) ${escape(formatAddress(c.address))}\n\n`);
    if (c.doNotService || c.doNotMail)
      tooltip.appendMarkdown(`${[c.doNotService ? 'Do not service' : '', c.doNotMail ? 'Do not mail' : ''].filter(Boolean).join(' · ')}\n\n`);
    tooltip.appendMarkdown(`Created ${formatDate(c.createdOn)} · modified ${formatDate(c.modifiedOn)}`);
    item.tooltip = tooltip;
    return item;
  }

  private groupNodes(): [PhonesGroup, PeopleGroup, LocationsGroup] {
    this.groups ??= [new PhonesGroup(this, this.ctx), new PeopleGroup(this, this.ctx), new LocationsGroup(this, this.ctx)];
    return this.groups;
  }
}

/** "Phones & emails": the customer's own (legacy) contacts. */
export class PhonesGroup extends ListNode<CustomerContact> {
  readonly id: string;
  protected override readonly showsCount = true;
  protected readonly emptyLabel = 'No phones or emails';
  constructor(
    readonly customer: CustomerNode,
    ctx: TreeContext,
  ) {
    super(customer, ctx);
    this.id = `${customer.id}/phones`;
  }
  /** New phones and emails are created under the customer. */
  override get [COMMAND_TARGET](): CommandTarget {
    return groupTarget(this.customer, 'customerContact');
  }
  holds(kind: EntityKind, parentId: string | undefined): boolean {
    return kind === 'customerContact' && parentId === String(this.customer.record.id);
  }
  protected loadPage(client: CrmClient, page: PageQuery): Promise<Page<CustomerContact>> {
    return client.listCustomerContacts(this.customer.record.id, page);
  }
  protected keyOf(contact: CustomerContact): string {
    return String(contact.id);
  }
  protected nodeFor(contact: CustomerContact, existing: TreeNode | undefined): TreeNode {
    const entity: Entity = { kind: 'customerContact', customerId: this.customer.record.id, contact };
    return updateLeaf(existing, entity) ?? new ContactValueNode(this, `${this.id}/${contact.id}`, entity, contact);
  }
  treeItem(): vscode.TreeItem {
    return groupItem(this, 'Phones & emails', 'call-outgoing', 'group.phones');
  }
}

/** "People": contacts linked to the customer through contact relationships. */
export class PeopleGroup extends ListNode<Contact> {
  readonly id: string;
  protected override readonly showsCount = true;
  protected readonly emptyLabel = 'No people linked to this customer';
  constructor(
    readonly customer: CustomerNode,
    ctx: TreeContext,
  ) {
    super(customer, ctx);
    this.id = `${customer.id}/people`;
  }
  /** New people are created under (linked to) the customer. */
  override get [COMMAND_TARGET](): CommandTarget {
    return groupTarget(this.customer, 'person');
  }
  /** A person is listed under every customer it is linked to: a change that names no customer (an edit, a delete) concerns them all. */
  holds(kind: EntityKind, parentId: string | undefined): boolean {
    return kind === 'person' && (parentId === undefined || parentId === String(this.customer.record.id));
  }
  protected loadPage(client: CrmClient, page: PageQuery): Promise<Page<Contact>> {
    return client.listContactsByRelatedEntity(this.customer.record.id, page);
  }
  protected keyOf(contact: Contact): string {
    return contact.id;
  }
  protected nodeFor(contact: Contact, existing: TreeNode | undefined): TreeNode {
    if (existing instanceof PersonNode) {
      existing.update(contact);
      return existing;
    }
    return new PersonNode(this, this.ctx, contact);
  }
  treeItem(): vscode.TreeItem {
    return groupItem(this, 'People', 'person', 'group.people');
  }
}

/** A person (people contact) with its contact methods as children. */
export class PersonNode extends ListNode<ContactMethod> {
  readonly id: string;
  protected readonly emptyLabel = 'No contact methods';
  constructor(
    readonly group: PeopleGroup,
    ctx: TreeContext,
    private contact: Contact,
  ) {
    super(group, ctx);
    this.id = `${group.id}/${contact.id}`;
    this.entity = { kind: 'person', contact };
  }
  update(contact: Contact): void {
    this.contact = contact;
    this.entity = { kind: 'person', contact };
  }
  holds(kind: EntityKind, parentId: string | undefined): boolean {
    return kind === 'contactMethod' && parentId === this.contact.id;
  }
  protected loadPage(client: CrmClient, page: PageQuery): Promise<Page<ContactMethod>> {
    return client.listContactMethods(this.contact.id, page);
  }
  protected keyOf(method: ContactMethod): string {
    return method.id;
  }
  protected nodeFor(method: ContactMethod, existing: TreeNode | undefined): TreeNode {
    const entity: Entity = { kind: 'contactMethod', method };
    return updateLeaf(existing, entity) ?? new ContactValueNode(this, `${this.id}/${method.id}`, entity, method);
  }
  treeItem(): vscode.TreeItem {
    const c = this.contact;
    const item = new vscode.TreeItem(personName(c), vscode.TreeItemCollapsibleState.Collapsed);
    item.id = this.id;
    item.description = [c.title, c.isArchived ? 'archived' : undefined].filter(Boolean).join(' · ') || undefined;
    item.iconPath = new vscode.ThemeIcon('person', c.isArchived ? new vscode.ThemeColor('disabledForeground') : undefined);
    item.contextValue = c.isArchived ? 'entity.person.archived' : 'entity.person.active';
    const tooltip = new vscode.MarkdownString();
    tooltip.appendMarkdown(`**${escape(personName(c))}**${c.title ? ` · ${escape(c.title)}` : ''}${c.isArchived ? ' · _archived_' : ''}\n\n`);
    tooltip.appendMarkdown(`Contact \`${c.id}\`${c.referenceId ? ` · reference ${escape(c.referenceId)}` : ''}\n\n`);
    tooltip.appendMarkdown(`Created ${formatDate(c.createdOn)} · modified ${formatDate(c.modifiedOn)}`);
    item.tooltip = tooltip;
    return item;
  }
}

/** "Locations": the customer's service locations, each with its phone/email contacts. */
export class LocationsGroup extends ListNode<Location> {
  readonly id: string;
  protected override readonly showsCount = true;
  protected readonly emptyLabel = 'No locations';
  constructor(
    readonly customer: CustomerNode,
    ctx: TreeContext,
  ) {
    super(customer, ctx);
    this.id = `${customer.id}/locations`;
  }
  override get [COMMAND_TARGET](): CommandTarget {
    return groupTarget(this.customer, 'location');
  }
  holds(kind: EntityKind, parentId: string | undefined): boolean {
    return kind === 'location' && parentId === String(this.customer.record.id);
  }
  protected loadPage(client: CrmClient, page: PageQuery): Promise<Page<Location>> {
    return client.listLocations({ ...page, customerId: this.customer.record.id, active: 'Any' });
  }
  protected keyOf(location: Location): string {
    return String(location.id);
  }
  protected nodeFor(location: Location, existing: TreeNode | undefined): TreeNode {
    if (existing instanceof LocationNode) {
      existing.update(location);
      return existing;
    }
    return new LocationNode(this, this.ctx, location);
  }
  treeItem(): vscode.TreeItem {
    return groupItem(this, 'Locations', 'location', 'group.locations');
  }
}

export class LocationNode extends ListNode<LocationContact> {
  readonly id: string;
  protected readonly emptyLabel = 'No phones or emails';
  constructor(
    group: LocationsGroup,
    ctx: TreeContext,
    private location: Location,
  ) {
    super(group, ctx);
    this.id = `${group.id}/${location.id}`;
    this.entity = { kind: 'location', location };
  }
  update(location: Location): void {
    this.location = location;
    this.entity = { kind: 'location', location };
  }
  holds(kind: EntityKind, parentId: string | undefined): boolean {
    return kind === 'locationContact' && parentId === String(this.location.id);
  }
  protected loadPage(client: CrmClient, page: PageQuery): Promise<Page<LocationContact>> {
    return client.listLocationContacts(this.location.id, page);
  }
  protected keyOf(contact: LocationContact): string {
    return String(contact.id);
  }
  protected nodeFor(contact: LocationContact, existing: TreeNode | undefined): TreeNode {
    const entity: Entity = { kind: 'locationContact', locationId: this.location.id, contact };
    return updateLeaf(existing, entity) ?? new ContactValueNode(this, `${this.id}/${contact.id}`, entity, contact);
  }
  treeItem(): vscode.TreeItem {
    const l = this.location;
    const item = new vscode.TreeItem(l.name, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = this.id;
    item.description = `#${l.id}${l.active ? '' : ' · inactive'} · ${formatAddress(l.address)}`;
    item.iconPath = new vscode.ThemeIcon('location', l.active ? undefined : new vscode.ThemeColor('disabledForeground'));
    item.contextValue = 'entity.location';
    const tooltip = new vscode.MarkdownString();
    tooltip.appendMarkdown(`**${escape(l.name)}** · location #${l.id}${l.active ? '' : ' · _inactive_'}\n\n${escape(formatAddress(l.address))}\n\n`);
    tooltip.appendMarkdown(`Created ${formatDate(l.createdOn)} · modified ${formatDate(l.modifiedOn)}`);
    item.tooltip = tooltip;
    return item;
  }
}

interface ContactValue {
  type: ContactType;
  value: string;
  memo?: string | null;
}

/** A phone, mobile, email or fax: a customer or location contact, or a person's contact method. */
export class ContactValueNode extends TreeNode {
  constructor(
    parent: TreeNode,
    readonly id: string,
    entity: Entity,
    private value: ContactValue,
  ) {
    super(parent);
    this.entity = entity;
  }
  update(entity: Entity, value: ContactValue): void {
    this.entity = entity;
    this.value = value;
  }
  treeItem(): vscode.TreeItem {
    const v = this.value;
    const item = new vscode.TreeItem(v.value);
    item.id = this.id;
    item.description = [CONTACT_TYPE_LABELS[v.type], v.memo].filter(Boolean).join(' · ');
    item.iconPath = new vscode.ThemeIcon(CONTACT_TYPE_ICONS[v.type]);
    item.contextValue = `entity.${this.entity?.kind ?? 'value'}`;
    item.tooltip = `${CONTACT_TYPE_LABELS[v.type]}: ${v.value}${v.memo ? `\n${v.memo}` : ''}`;
    return item;
  }
}

const CONTACT_TYPE_ICONS: Record<ContactType, string> = {
  Phone: 'call-outgoing',
  MobilePhone: 'device-mobile',
  Email: 'mail',
  Fax: 'inbox',
};

function updateLeaf(existing: TreeNode | undefined, entity: Entity): TreeNode | undefined {
  if (!(existing instanceof ContactValueNode)) return undefined;
  const value =
    entity.kind === 'contactMethod' ? entity.method : entity.kind === 'customerContact' || entity.kind === 'locationContact' ? entity.contact : undefined;
  if (value) existing.update(entity, value);
  return existing;
}

/** A group node's target: the customer it belongs to, and the kind of records it lists. */
function groupTarget(customer: CustomerNode, group: EntityKind): CommandTarget {
  return { record: { kind: 'customer', customer: customer.record }, group };
}

function groupItem(group: PagedNode, label: string, icon: string, contextValue: string): vscode.TreeItem {
  const item = new vscode.TreeItem(label, vscode.TreeItemCollapsibleState.Collapsed);
  item.id = group.id;
  item.iconPath = new vscode.ThemeIcon(icon);
  item.contextValue = contextValue;
  item.description = groupDescription(group);
  return item;
}

function groupDescription(group: PagedNode): string | undefined {
  if (!group.loaded) return undefined;
  const total = group.totalCount ?? (group.itemCount || undefined);
  return total === undefined ? '0' : total.toLocaleString('en-US');
}

function formatDate(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString('en-US', { dateStyle: 'medium', timeStyle: 'short' });
}

/** Escapes Markdown in CRM text shown in tooltips. */
function escape(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');
}
