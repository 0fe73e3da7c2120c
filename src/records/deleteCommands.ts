import * as z from 'zod';
import { guid, int64Id, relationshipTypeSlug, type Contact } from '../api/schemas';
import type { Log } from '../common/log';
import { ContactValueNode, PersonNode } from '../tree/crmNodes';
import { entityLabel, personName } from '../model/entities';
import { TreeNode } from '../tree/treeNode';
import { isPlainObject, parseCommandArgs, writeArgs } from '../common/commandArgs';
import type { WriteQuestion } from '../writes/engine';
import { archiveContactPlan, deleteContactMethodPlan, deleteContactPlan, deletePhoneOrEmailPlan } from '../writes/recordPlans';
import type { WritePipeline } from './writePipeline';

const customerContactArgs = z.strictObject({ customerId: int64Id, contactId: int64Id, ...writeArgs });
const contactArgs = z.strictObject({ contactId: guid, ...writeArgs });
const contactMethodArgs = z.strictObject({ contactId: guid, contactMethodId: guid, ...writeArgs });

/**
 * Deletes, and archive/unarchive (a person's soft delete), through the one write pipeline. On a tree node a delete asks in
 * a modal first; with an argument object it asks only on a production profile (unless the script
 * passes `productionConfirmed: true`). Only the lists that showed the record are redrawn.
 */
export class DeleteCommands {
  constructor(
    private readonly writes: WritePipeline,
    /** The nodes selected in the Customers view (what the palette's commands work on). */
    private readonly selection: () => readonly TreeNode[],
    private readonly log: Log,
  ) {}

  async deleteCustomerContact(arg?: unknown): Promise<void> {
    const node = this.nodeArg(arg);
    let target: { customerId: number; contactId: number; productionConfirmed?: boolean };
    let question: WriteQuestion | undefined;
    if (node) {
      if (node.entity?.kind !== 'customerContact') throw new Error('Run this on a phone or email under "Phones & emails".');
      target = { customerId: node.entity.customerId, contactId: node.entity.contact.id };
      question = deleteQuestion(`Delete ${entityLabel(node.entity)} from this customer?`, 'The phone or email is removed from the customer in ServiceTitan.');
    } else {
      target = parseCommandArgs('stcrm.deleteCustomerContact', customerContactArgs, arg);
    }
    const deleted = await this.writes.perform(deletePhoneOrEmailPlan({ kind: 'customer', id: target.customerId }, target.contactId), {
      question,
      productionConfirmed: target.productionConfirmed,
      progressTitle: 'Deleting the phone or email…',
    });
    this.log.info(deleted.message);
  }

  /** Deletes a person. ServiceTitan refuses (409) while links exist, so they are removed first, after saying so. */
  async deleteContact(arg?: unknown): Promise<void> {
    const node = this.nodeArg(arg);
    let target: { contactId: string; productionConfirmed?: boolean };
    if (node) {
      if (node.entity?.kind !== 'person') throw new Error('Run this on a person under "People".');
      target = { contactId: node.entity.contact.id };
    } else {
      target = parseCommandArgs('stcrm.deleteContact', contactArgs, arg);
    }
    const connection = await this.writes.connection();
    // Parsed before anything is deleted, so an unexpected relationship type cannot stop it halfway.
    const links = (await connection.client.allContactRelationships(target.contactId)).map((link) => ({ ...link, typeSlug: relationshipTypeSlug.parse(link.typeSlug) }));
    let question: WriteQuestion | undefined;
    if (node?.entity?.kind === 'person') {
      const linked = links.length > 0 ? ` Its ${links.length} link${links.length === 1 ? '' : 's'} (${links.map((l) => `${l.typeSlug} ${l.relatedEntityId}`).join(', ')}) are removed first.` : '';
      question = deleteQuestion(`Delete the contact ${personName(node.entity.contact)}?`, `The person and all of their contact methods are deleted in ServiceTitan.${linked}`);
    }
    const deleted = await this.writes.perform(deleteContactPlan(target.contactId, links), {
      connection,
      question,
      productionConfirmed: target.productionConfirmed,
      progressTitle: 'Deleting the contact…',
    });
    this.log.info(deleted.message);
  }

  async deleteContactMethod(arg?: unknown): Promise<void> {
    const node = this.nodeArg(arg);
    let target: { contactId: string; contactMethodId: string; productionConfirmed?: boolean };
    let question: WriteQuestion | undefined;
    if (node) {
      if (node.entity?.kind !== 'contactMethod') throw new Error('Run this on a contact method under a person.');
      target = { contactId: node.entity.method.contactId, contactMethodId: node.entity.method.id };
      question = deleteQuestion(`Delete ${entityLabel(node.entity)}?`, 'The contact method is deleted in ServiceTitan.');
    } else {
      target = parseCommandArgs('stcrm.deleteContactMethod', contactMethodArgs, arg);
    }
    const deleted = await this.writes.perform(deleteContactMethodPlan(target.contactId, target.contactMethodId), {
      question,
      productionConfirmed: target.productionConfirmed,
      progressTitle: 'Deleting the contact method…',
    });
    this.log.info(deleted.message);
  }

  archiveContact(arg?: unknown): Promise<Contact> {
    return this.setArchived(arg, true);
  }
  unarchiveContact(arg?: unknown): Promise<Contact> {
    return this.setArchived(arg, false);
  }

  private async setArchived(arg: unknown, isArchived: boolean): Promise<Contact> {
    const node = this.nodeArg(arg);
    const command = isArchived ? 'stcrm.archiveContact' : 'stcrm.unarchiveContact';
    if (node && node.entity?.kind !== 'person') throw new Error('Run this on a person under "People".');
    const target = node?.entity?.kind === 'person' ? { contactId: node.entity.contact.id, productionConfirmed: undefined } : parseCommandArgs(command, contactArgs, arg);
    const saved = await this.writes.perform(archiveContactPlan(target.contactId, isArchived), {
      productionConfirmed: target.productionConfirmed,
      progressTitle: isArchived ? 'Archiving the contact…' : 'Restoring the contact…',
    });
    return saved.record;
  }

  /** A tree node argument (context menu), the view's selection (palette), or undefined for an argument object. */
  private nodeArg(arg: unknown): TreeNode | undefined {
    if (arg instanceof TreeNode) return arg;
    if (isPlainObject(arg)) return undefined;
    const selected = this.selection()[0];
    if (selected instanceof PersonNode || selected instanceof ContactValueNode) return selected;
    throw new Error('Select the record in the ServiceTitan CRM view first, or pass an argument object.');
  }
}

function deleteQuestion(message: string, detail: string): WriteQuestion {
  return { message, detail: `${detail} This cannot be undone.`, button: 'Delete' };
}
