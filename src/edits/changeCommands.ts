import * as vscode from 'vscode';
import * as z from 'zod';
import { guid, int64Id, relationshipTypeSlug, type Contact } from '../api/schemas';
import type { ConnectionManager } from '../profiles/connection';
import { UserCancelled, withProgress } from '../common/commands';
import type { Log } from '../common/log';
import type { RecordChanges } from '../model/recordChanges';
import { ContactValueNode, PersonNode } from '../tree/crmNodes';
import { entityLabel, personName } from '../model/entities';
import { TreeNode } from '../tree/treeNode';
import { isPlainObject, parseCommandArgs } from '../common/commandArgs';

const customerContactArgs = z.strictObject({ customerId: int64Id, contactId: int64Id });
const contactArgs = z.strictObject({ contactId: guid });
const contactMethodArgs = z.strictObject({ contactId: guid, contactMethodId: guid });

/**
 * Deletes (with a modal confirmation when run on a tree node; none with an argument object) and
 * archive/unarchive. After the call only the lists that showed the record are redrawn.
 */
export class ChangeCommands {
  constructor(
    private readonly connections: ConnectionManager,
    private readonly records: RecordChanges,
    /** The nodes selected in the Customers view (what the palette's commands work on). */
    private readonly selection: () => readonly TreeNode[],
    private readonly log: Log,
  ) {}

  async deleteCustomerContact(arg?: unknown): Promise<void> {
    const client = await this.connections.client();
    const node = this.nodeArg(arg);
    let target: z.output<typeof customerContactArgs>;
    if (node) {
      if (node.entity?.kind !== 'customerContact') throw new Error('Run this on a phone or email under "Phones & emails".');
      target = { customerId: node.entity.customerId, contactId: node.entity.contact.id };
      await this.confirm(`Delete ${entityLabel(node.entity)} from this customer?`, 'The phone or email is removed from the customer in ServiceTitan.');
    } else {
      target = parseCommandArgs('stcrm.deleteCustomerContact', customerContactArgs, arg);
    }
    await withProgress('Deleting the phone or email…', (signal) => client.deleteCustomerContact(target.customerId, target.contactId, { signal }));
    this.log.info(`Deleted contact ${target.contactId} of customer ${target.customerId}`);
    await this.records.publish({ type: 'deleted', kind: 'customerContact', id: String(target.contactId), parentId: String(target.customerId) });
  }

  /** Deletes a person. ServiceTitan refuses (409) while links exist, so they are removed first, after saying so. */
  async deleteContact(arg?: unknown): Promise<void> {
    const client = await this.connections.client();
    const node = this.nodeArg(arg);
    let contactId: string;
    if (node) {
      if (node.entity?.kind !== 'person') throw new Error('Run this on a person under "People".');
      contactId = node.entity.contact.id;
    } else {
      contactId = parseCommandArgs('stcrm.deleteContact', contactArgs, arg).contactId;
    }
    // Parsed before anything is deleted, so an unexpected relationship type cannot stop it halfway.
    const links = (await client.allContactRelationships(contactId)).map((link) => ({ ...link, typeSlug: relationshipTypeSlug.parse(link.typeSlug) }));
    if (node?.entity?.kind === 'person') {
      const linked = links.length > 0 ? ` Its ${links.length} link${links.length === 1 ? '' : 's'} (${links.map((l) => `${l.typeSlug} ${l.relatedEntityId}`).join(', ')}) are removed first.` : '';
      await this.confirm(`Delete the contact ${personName(node.entity.contact)}?`, `The person and all of their contact methods are deleted in ServiceTitan.${linked}`);
    }
    await withProgress('Deleting the contact…', async (signal) => {
      for (const link of links) await client.deleteContactRelationship(contactId, link.relatedEntityId, link.typeSlug, { signal });
      await client.deleteContact(contactId, { signal });
    });
    this.log.info(`Deleted contact ${contactId} (and ${links.length} relationship(s))`);
    await this.records.publish({ type: 'deleted', kind: 'person', id: contactId });
  }

  async deleteContactMethod(arg?: unknown): Promise<void> {
    const client = await this.connections.client();
    const node = this.nodeArg(arg);
    let target: z.output<typeof contactMethodArgs>;
    if (node) {
      if (node.entity?.kind !== 'contactMethod') throw new Error('Run this on a contact method under a person.');
      target = { contactId: node.entity.method.contactId, contactMethodId: node.entity.method.id };
      await this.confirm(`Delete ${entityLabel(node.entity)}?`, 'The contact method is deleted in ServiceTitan.');
    } else {
      target = parseCommandArgs('stcrm.deleteContactMethod', contactMethodArgs, arg);
    }
    await withProgress('Deleting the contact method…', (signal) => client.deleteContactMethod(target.contactId, target.contactMethodId, { signal }));
    this.log.info(`Deleted contact method ${target.contactMethodId} of contact ${target.contactId}`);
    await this.records.publish({ type: 'deleted', kind: 'contactMethod', id: target.contactMethodId, parentId: target.contactId });
  }

  archiveContact(arg?: unknown): Promise<Contact> {
    return this.setArchived(arg, true);
  }
  unarchiveContact(arg?: unknown): Promise<Contact> {
    return this.setArchived(arg, false);
  }

  private async setArchived(arg: unknown, isArchived: boolean): Promise<Contact> {
    const client = await this.connections.client();
    const node = this.nodeArg(arg);
    const command = isArchived ? 'stcrm.archiveContact' : 'stcrm.unarchiveContact';
    if (node && node.entity?.kind !== 'person') throw new Error('Run this on a person under "People".');
    const contactId = node?.entity?.kind === 'person' ? node.entity.contact.id : parseCommandArgs(command, contactArgs, arg).contactId;
    const updated = await withProgress(isArchived ? 'Archiving the contact…' : 'Restoring the contact…', (signal) => client.updateContact(contactId, { isArchived }, { signal }));
    await this.records.publish({ type: 'updated', entity: { kind: 'person', contact: updated } });
    return updated;
  }

  /** A tree node argument (context menu), the view's selection (palette), or undefined for an argument object. */
  private nodeArg(arg: unknown): TreeNode | undefined {
    if (arg instanceof TreeNode) return arg;
    if (isPlainObject(arg)) return undefined;
    const selected = this.selection()[0];
    if (selected instanceof PersonNode || selected instanceof ContactValueNode) return selected;
    throw new Error('Select the record in the ServiceTitan CRM view first, or pass an argument object.');
  }

  private async confirm(message: string, detail: string): Promise<void> {
    const profile = (await this.connections.active())?.profile;
    const where = profile ? `\n\nProfile "${profile.name}", tenant ${profile.tenant}.` : '';
    const choice = await vscode.window.showWarningMessage(message, { modal: true, detail: `${detail} This cannot be undone.${where}` }, 'Delete');
    if (choice !== 'Delete') throw new UserCancelled();
  }
}
