/**
 * `stcrm.editContact`, `stcrm.editCustomerContact`, `stcrm.editLocationContact`,
 * `stcrm.editContactMethod`: on a record in the tree (or the one selected) they open its edit
 * form, filled from a fresh GET; with an argument object they send the change without any UI
 * (PATCH, or PUT where PATCH cannot make it) through the one write pipeline, which asks first on
 * a production profile and publishes the change to the views.
 */
import * as z from 'zod';
import { contactType, guid, int64Id, type Contact, type ContactMethod, type CustomerContact, type LocationContact } from '../api/schemas';
import { isPlainObject, parseCommandArgs, writeArgs } from '../common/commandArgs';
import type { Forms } from '../forms/forms';
import type { FormSession } from '../forms/formSession';
import { commandTarget, shownRecord } from '../model/commandTarget';
import type { Entity } from '../model/entities';
import type { ConnectionManager } from '../profiles/connection';
import { editContactMethodPlan, editContactPlan, editPhoneOrEmailPlan } from '../writes/recordPlans';
import { pickPerson } from '../quickInput/recordPickers';
import type { WritePipeline } from './writePipeline';

const editContactArgs = z.strictObject({
  contactId: guid,
  name: z.string().optional(),
  title: z.string().optional(),
  referenceId: z.string().optional(),
  isArchived: z.boolean().optional(),
  ...writeArgs,
});
const valueChanges = { type: contactType.optional(), value: z.string().optional(), memo: z.string().optional() };
const editCustomerContactArgs = z.strictObject({ customerId: int64Id, contactId: int64Id, ...valueChanges, ...writeArgs });
const editLocationContactArgs = z.strictObject({ locationId: int64Id, contactId: int64Id, ...valueChanges, ...writeArgs });
const editContactMethodArgs = z.strictObject({ contactId: guid, contactMethodId: guid, ...valueChanges, referenceId: z.string().optional(), ...writeArgs });

export class EditCommands {
  constructor(
    private readonly connections: ConnectionManager,
    private readonly writes: WritePipeline,
    private readonly forms: Forms,
    /** The nodes selected in the Customers view (what the palette's commands work on). */
    private readonly selection: () => readonly unknown[],
  ) {}

  async editContact(arg?: unknown): Promise<Contact | FormSession> {
    const { client, profile } = await this.connections.require();
    if (isPlainObject(arg)) {
      const { contactId, productionConfirmed, ...changes } = parseCommandArgs('stcrm.editContact', editContactArgs, arg);
      const connection = await this.writes.connection();
      // The spec requires isArchived on every PATCH: keep the current one unless it is given.
      const isArchived = changes.isArchived ?? (await connection.client.getContact(contactId)).isArchived;
      return (await this.writes.perform(editContactPlan(contactId, 'PATCH', { ...changes, isArchived }), { connection, productionConfirmed })).record;
    }
    const entity = this.entityOf(arg);
    const contactId = entity?.kind === 'person' ? entity.contact.id : (await pickPerson(client, { title: 'Edit which contact?' })).id;
    return this.forms.open({ kind: 'editContact', profileId: profile.id, contactId });
  }

  async editCustomerContact(arg?: unknown): Promise<CustomerContact | FormSession> {
    const { profile } = await this.connections.require();
    if (isPlainObject(arg)) {
      const { customerId, contactId, productionConfirmed, ...changes } = parseCommandArgs('stcrm.editCustomerContact', editCustomerContactArgs, arg);
      return (await this.writes.perform(editPhoneOrEmailPlan({ kind: 'customer', id: customerId }, contactId, changes), { productionConfirmed })).record;
    }
    const entity = this.entityOf(arg);
    if (entity?.kind !== 'customerContact')
      throw new Error('Run this on a phone or email under a customer\'s "Phones & emails" in the ServiceTitan CRM view, or pass { customerId, contactId, … }.');
    return this.forms.open({ kind: 'editCustomerContact', profileId: profile.id, customerId: entity.customerId, contactId: entity.contact.id });
  }

  async editLocationContact(arg?: unknown): Promise<LocationContact | FormSession> {
    const { profile } = await this.connections.require();
    if (isPlainObject(arg)) {
      const { locationId, contactId, productionConfirmed, ...changes } = parseCommandArgs('stcrm.editLocationContact', editLocationContactArgs, arg);
      return (await this.writes.perform(editPhoneOrEmailPlan({ kind: 'location', id: locationId }, contactId, changes), { productionConfirmed })).record;
    }
    const entity = this.entityOf(arg);
    if (entity?.kind !== 'locationContact')
      throw new Error('Run this on a phone or email under a location in the ServiceTitan CRM view, or pass { locationId, contactId, … }.');
    return this.forms.open({ kind: 'editLocationContact', profileId: profile.id, locationId: entity.locationId, contactId: entity.contact.id });
  }

  async editContactMethod(arg?: unknown): Promise<ContactMethod | FormSession> {
    const { profile } = await this.connections.require();
    if (isPlainObject(arg)) {
      const { contactId, contactMethodId, productionConfirmed, ...changes } = parseCommandArgs('stcrm.editContactMethod', editContactMethodArgs, arg);
      const connection = await this.writes.connection();
      let plan;
      if (changes.type !== undefined || changes.referenceId !== undefined) {
        // PATCH takes value and memo only; a new type or reference ID replaces the method (PUT).
        const current = await connection.client.getContactMethod(contactId, contactMethodId);
        plan = editContactMethodPlan(contactId, contactMethodId, {
          method: 'PUT',
          body: {
            type: changes.type ?? current.type,
            value: changes.value ?? current.value,
            memo: changes.memo ?? current.memo ?? undefined,
            referenceId: changes.referenceId ?? current.referenceId ?? undefined,
          },
        });
      } else {
        plan = editContactMethodPlan(contactId, contactMethodId, { method: 'PATCH', body: { value: changes.value, memo: changes.memo } });
      }
      return (await this.writes.perform(plan, { connection, productionConfirmed })).record;
    }
    const entity = this.entityOf(arg);
    if (entity?.kind !== 'contactMethod')
      throw new Error('Run this on a contact method under a person in the ServiceTitan CRM view, or pass { contactId, contactMethodId, … }.');
    return this.forms.open({ kind: 'editContactMethod', profileId: profile.id, contactId: entity.method.contactId, contactMethodId: entity.method.id });
  }

  /** The record of the node the command was run on (context menu), or of the one selected (palette). */
  private entityOf(arg: unknown): Entity | undefined {
    return shownRecord(commandTarget(arg, this.selection()));
  }
}
