import * as z from 'zod';
import { guid, int64Id, relationshipTypeSlug, type Contact } from '../api/schemas';
import type { Log } from '../common/log';
import { commandTarget, shownRecord } from '../model/commandTarget';
import { entityLabel, personName, type Entity } from '../model/entities';
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
    private readonly selection: () => readonly unknown[],
    private readonly log: Log,
  ) {}

  async deleteCustomerContact(arg?: unknown): Promise<void> {
    let target: { customerId: number; contactId: number; productionConfirmed?: boolean };
    let question: WriteQuestion | undefined;
    if (isPlainObject(arg)) {
      target = parseCommandArgs('stcrm.deleteCustomerContact', customerContactArgs, arg);
    } else {
      const record = this.recordRunOn(arg);
      if (record?.kind !== 'customerContact') throw new Error('Run this on a phone or email under "Phones & emails".');
      target = { customerId: record.customerId, contactId: record.contact.id };
      question = deleteQuestion(`Delete ${entityLabel(record)} from this customer?`, 'The phone or email is removed from the customer in ServiceTitan.');
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
    let target: { contactId: string; productionConfirmed?: boolean };
    let person: Contact | undefined;
    if (isPlainObject(arg)) {
      target = parseCommandArgs('stcrm.deleteContact', contactArgs, arg);
    } else {
      const record = this.recordRunOn(arg);
      if (record?.kind !== 'person') throw new Error('Run this on a person under "People".');
      person = record.contact;
      target = { contactId: person.id };
    }
    const connection = await this.writes.connection();
    // Parsed before anything is deleted, so an unexpected relationship type cannot stop it halfway.
    const links = (await connection.client.allContactRelationships(target.contactId)).map((link) => ({
      ...link,
      typeSlug: relationshipTypeSlug.parse(link.typeSlug),
    }));
    let question: WriteQuestion | undefined;
    if (person) {
      const linked =
        links.length > 0
          ? ` Its ${links.length} link${links.length === 1 ? '' : 's'} (${links.map((l) => `${l.typeSlug} ${l.relatedEntityId}`).join(', ')}) are removed first.`
          : '';
      question = deleteQuestion(
        `Delete the contact ${personName(person)}?`,
        `The person and all of their contact methods are deleted in ServiceTitan.${linked}`,
      );
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
    let target: { contactId: string; contactMethodId: string; productionConfirmed?: boolean };
    let question: WriteQuestion | undefined;
    if (isPlainObject(arg)) {
      target = parseCommandArgs('stcrm.deleteContactMethod', contactMethodArgs, arg);
    } else {
      const record = this.recordRunOn(arg);
      if (record?.kind !== 'contactMethod') throw new Error('Run this on a contact method under a person.');
      target = { contactId: record.method.contactId, contactMethodId: record.method.id };
      question = deleteQuestion(`Delete ${entityLabel(record)}?`, 'The contact method is deleted in ServiceTitan.');
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
    const command = isArchived ? 'stcrm.archiveContact' : 'stcrm.unarchiveContact';
    let target: { contactId: string; productionConfirmed?: boolean };
    if (isPlainObject(arg)) {
      target = parseCommandArgs(command, contactArgs, arg);
    } else {
      const record = this.recordRunOn(arg);
      if (record?.kind !== 'person') throw new Error('Run this on a person under "People".');
      target = { contactId: record.contact.id };
    }
    const saved = await this.writes.perform(archiveContactPlan(target.contactId, isArchived), {
      productionConfirmed: target.productionConfirmed,
      progressTitle: isArchived ? 'Archiving the contact…' : 'Restoring the contact…',
    });
    return saved.record;
  }

  /** The record of the node the command was run on (context menu), or of the one selected (palette). */
  private recordRunOn(arg: unknown): Entity | undefined {
    const target = commandTarget(arg, this.selection());
    if (!target) throw new Error('Select the record in the ServiceTitan CRM view first, or pass an argument object.');
    return shownRecord(target);
  }
}

function deleteQuestion(message: string, detail: string): WriteQuestion {
  return { message, detail: `${detail} This cannot be undone.`, button: 'Delete' };
}
