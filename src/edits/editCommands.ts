/**
 * `stcrm.editContact`, `stcrm.editCustomerContact`, `stcrm.editLocationContact`,
 * `stcrm.editContactMethod`: on a record in the tree (or the one selected) they open its edit
 * form, filled from a fresh GET; with an argument object they send the change without any UI
 * (PATCH, or PUT where PATCH cannot make it) and publish it to the record model.
 */
import * as z from 'zod';
import { contactType, guid, int64Id, type Contact, type ContactMethod, type CustomerContact, type LocationContact } from '../api/schemas';
import { isPlainObject, parseCommandArgs } from '../common/commandArgs';
import type { FormManager } from '../forms/formManager';
import type { FormSession } from '../forms/formSession';
import type { RecordChanges } from '../model/recordChanges';
import type { ConnectionManager } from '../profiles/connection';
import { TreeNode } from '../tree/treeNode';
import { pickPerson } from './recordPickers';

const editContactArgs = z.strictObject({ contactId: guid, name: z.string().optional(), title: z.string().optional(), referenceId: z.string().optional(), isArchived: z.boolean().optional() });
const valueChanges = { type: contactType.optional(), value: z.string().optional(), memo: z.string().optional() };
const editCustomerContactArgs = z.strictObject({ customerId: int64Id, contactId: int64Id, ...valueChanges });
const editLocationContactArgs = z.strictObject({ locationId: int64Id, contactId: int64Id, ...valueChanges });
const editContactMethodArgs = z.strictObject({ contactId: guid, contactMethodId: guid, ...valueChanges, referenceId: z.string().optional() });

export class EditCommands {
  constructor(
    private readonly connections: ConnectionManager,
    private readonly records: RecordChanges,
    private readonly forms: FormManager,
    private readonly selection: () => readonly TreeNode[],
  ) {}

  async editContact(arg?: unknown): Promise<Contact | FormSession> {
    const { client, profile } = await this.connections.require();
    if (isPlainObject(arg)) {
      const { contactId, ...changes } = parseCommandArgs('stcrm.editContact', editContactArgs, arg);
      // The spec requires isArchived on every PATCH: keep the current one unless it is given.
      const isArchived = changes.isArchived ?? (await client.getContact(contactId)).isArchived;
      const saved = await client.updateContact(contactId, { ...changes, isArchived });
      await this.records.publish({ type: 'updated', entity: { kind: 'person', contact: saved } });
      return saved;
    }
    const entity = this.entityOf(arg);
    const contactId = entity?.kind === 'person' ? entity.contact.id : (await pickPerson(client, { title: 'Edit which contact?' })).id;
    return this.forms.open({ kind: 'editContact', profileId: profile.id, contactId });
  }

  async editCustomerContact(arg?: unknown): Promise<CustomerContact | FormSession> {
    const { client, profile } = await this.connections.require();
    if (isPlainObject(arg)) {
      const { customerId, contactId, ...changes } = parseCommandArgs('stcrm.editCustomerContact', editCustomerContactArgs, arg);
      const saved = await client.updateCustomerContact(customerId, contactId, changes);
      await this.records.publish({ type: 'updated', entity: { kind: 'customerContact', customerId, contact: saved } });
      return saved;
    }
    const entity = this.entityOf(arg);
    if (entity?.kind !== 'customerContact') throw new Error('Run this on a phone or email under a customer\'s "Phones & emails" in the ServiceTitan CRM view, or pass { customerId, contactId, … }.');
    return this.forms.open({ kind: 'editCustomerContact', profileId: profile.id, customerId: entity.customerId, contactId: entity.contact.id });
  }

  async editLocationContact(arg?: unknown): Promise<LocationContact | FormSession> {
    const { client, profile } = await this.connections.require();
    if (isPlainObject(arg)) {
      const { locationId, contactId, ...changes } = parseCommandArgs('stcrm.editLocationContact', editLocationContactArgs, arg);
      const saved = await client.updateLocationContact(locationId, contactId, changes);
      await this.records.publish({ type: 'updated', entity: { kind: 'locationContact', locationId, contact: saved } });
      return saved;
    }
    const entity = this.entityOf(arg);
    if (entity?.kind !== 'locationContact') throw new Error('Run this on a phone or email under a location in the ServiceTitan CRM view, or pass { locationId, contactId, … }.');
    return this.forms.open({ kind: 'editLocationContact', profileId: profile.id, locationId: entity.locationId, contactId: entity.contact.id });
  }

  async editContactMethod(arg?: unknown): Promise<ContactMethod | FormSession> {
    const { client, profile } = await this.connections.require();
    if (isPlainObject(arg)) {
      const { contactId, contactMethodId, ...changes } = parseCommandArgs('stcrm.editContactMethod', editContactMethodArgs, arg);
      let saved: ContactMethod;
      if (changes.type !== undefined || changes.referenceId !== undefined) {
        // PATCH takes value and memo only; a new type or reference ID replaces the method (PUT).
        const current = await client.getContactMethod(contactId, contactMethodId);
        saved = await client.upsertContactMethod(contactId, contactMethodId, {
          type: changes.type ?? current.type,
          value: changes.value ?? current.value,
          memo: changes.memo ?? current.memo ?? undefined,
          referenceId: changes.referenceId ?? current.referenceId ?? undefined,
        });
      } else {
        saved = await client.updateContactMethod(contactId, contactMethodId, { value: changes.value, memo: changes.memo });
      }
      await this.records.publish({ type: 'updated', entity: { kind: 'contactMethod', method: saved } });
      return saved;
    }
    const entity = this.entityOf(arg);
    if (entity?.kind !== 'contactMethod') throw new Error('Run this on a contact method under a person in the ServiceTitan CRM view, or pass { contactId, contactMethodId, … }.');
    return this.forms.open({ kind: 'editContactMethod', profileId: profile.id, contactId: entity.method.contactId, contactMethodId: entity.method.id });
  }

  /** The record of a tree node argument (context menu) or of the node selected in the view (palette). */
  private entityOf(arg: unknown): TreeNode['entity'] {
    if (arg instanceof TreeNode) return arg.entity;
    return this.selection()[0]?.entity;
  }
}
