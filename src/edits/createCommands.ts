import * as vscode from 'vscode';
import * as z from 'zod';
import type { CrmClient } from '../api/client';
import { isPlainObject, parseCommandArgs } from '../common/commandArgs';
import { errorMessage } from '../common/commands';
import type { OperationInput } from '../api/client';
import { findPossiblyCreated, type RecoverableOperationId } from '../api/recovery';
import {
  contactType,
  createContactMethodRequest,
  createContactRequest,
  createCustomerContactRequest,
  createLocationContactRequest,
  guid,
  int64Id,
  type Contact,
  type ContactMethod,
  type CustomerContact,
  type LocationContact,
} from '../api/schemas';
import { readSettings } from '../common/config';
import type { FormManager } from '../forms/formManager';
import type { FormSession } from '../forms/formSession';
import { describeCandidates } from '../forms/formControllers';
import type { ConnectionManager } from '../profiles/connection';
import { withProgress } from '../common/commands';
import type { Log } from '../common/log';
import type { RecordChanges } from '../model/recordChanges';
import { CustomerNode, LocationNode, PeopleGroup, PersonNode, PhonesGroup } from '../tree/crmNodes';
import { personName } from '../model/entities';
import { pickCustomer, pickLocation, pickPerson } from './recordPickers';
import { bodyOf, collectAndSubmit, contactTypeStep, runSteps, schemaProblem, textSteps, type Draft, type FoundRecord, type TextField } from './quickForms';

const CONTACT_KEYS = ['name', 'title', 'referenceId'] as const;
const VALUE_KEYS = ['type', 'value', 'memo'] as const;

const createContactArgs = z.strictObject({
  customerId: int64Id.optional(),
  name: z.string().optional(),
  title: z.string().optional(),
  referenceId: z.string().optional(),
});
const createCustomerContactArgs = z.strictObject({ customerId: int64Id, type: contactType, value: z.string(), memo: z.string().optional() });
const createLocationContactArgs = z.strictObject({ locationId: int64Id, type: contactType, value: z.string(), memo: z.string().optional() });
const createContactMethodArgs = z.strictObject({ contactId: guid, type: contactType, value: z.string(), memo: z.string().optional(), referenceId: z.string().optional() });

const valueFields: TextField[] = [
  { key: 'value', prompt: 'Phone number, email address or fax number', placeholder: '(555) 010-0199 or jane@example.com' },
  { key: 'memo', prompt: 'Memo', placeholder: 'e.g. office, after 5 pm', optional: true },
];

/**
 * `stcrm.createContact`, `stcrm.createCustomerContact`, `stcrm.createLocationContact`,
 * `stcrm.createContactMethod`: a webview form by default, multi-step quick inputs with
 * `stcrm.createWith: quickInput` (both validated with the client's request schemas), or an
 * argument object for scripts (no UI). Every create is published to the record model, so the
 * tree reloads only the affected node and selects the new record.
 */
export class CreateCommands {
  constructor(
    private readonly connections: ConnectionManager,
    private readonly records: RecordChanges,
    private readonly forms: FormManager,
    private readonly log: Log,
  ) {}

  private get withForm(): boolean {
    return readSettings().createWith === 'form';
  }

  async createContact(arg?: unknown): Promise<Contact | FormSession> {
    const { client, profile } = await this.connections.require();
    const profileId = profile.id;
    if (isPlainObject(arg)) {
      const args = parseCommandArgs('stcrm.createContact', createContactArgs, arg);
      const { customerId, ...body } = args;
      const created = await this.createAndLink(client, bodyOf(body, CONTACT_KEYS), customerId);
      await this.showPerson(created, args.customerId, false);
      return created;
    }
    const customer = arg instanceof CustomerNode ? arg.record : arg instanceof PeopleGroup ? arg.customer.record : await pickCustomer(client, { title: 'New contact: link to which customer?', allowNone: "$(person-add) Don't link it to a customer" });
    if (this.withForm) return this.forms.open({ kind: 'createContact', profileId, customerId: customer?.id });
    const title = customer ? `New contact for ${customer.name}` : 'New contact';
    const fields: TextField[] = [
      { key: 'name', prompt: 'Name', placeholder: 'Jane Doe' },
      { key: 'title', prompt: 'Job title', placeholder: 'Office manager', optional: true },
      { key: 'referenceId', prompt: 'Reference ID (your own ID for this person)', optional: true },
    ];
    const problem = (draft: Draft, key: string) =>
      key === 'name' && !draft.name?.trim() ? 'Enter a name for the contact.' : schemaProblem(createContactRequest, bodyOf(draft, CONTACT_KEYS), key);
    const created = await collectAndSubmit({
      noun: 'contact',
      draft: {},
      log: this.log,
      collect: (draft, notice) => runSteps(textSteps(title, fields, draft, problem, notice)[0], fields.length),
      submit: async (draft) => {
        const current = await this.sameProfile(profileId);
        return withProgress(`Creating contact ${draft.name ?? ''}…`, (signal) => this.createAndLink(current, bodyOf(draft, CONTACT_KEYS), customer?.id, signal));
      },
      // The contact may exist; linking it is then all that is left.
      findCreated: (draft, since) =>
        this.findCreated<Contact>(profileId, 'Contacts_Create', { body: bodyOf(draft, CONTACT_KEYS) }, since, (found) =>
          withProgress('Linking the contact…', async (signal) => this.link(await this.sameProfile(profileId), found, customer?.id, signal)),
        ),
    });
    await this.showPerson(created, customer?.id, true);
    return created;
  }

  async createCustomerContact(arg?: unknown): Promise<CustomerContact | FormSession> {
    const { client, profile } = await this.connections.require();
    const profileId = profile.id;
    if (isPlainObject(arg)) {
      const args = parseCommandArgs('stcrm.createCustomerContact', createCustomerContactArgs, arg);
      const created = await client.createCustomerContact(args.customerId, { type: args.type, value: args.value, memo: args.memo });
      await this.records.publish({ type: 'created', entity: { kind: 'customerContact', customerId: args.customerId, contact: created } });
      return created;
    }
    const customer = arg instanceof CustomerNode ? arg.record : arg instanceof PhonesGroup ? arg.customer.record : await pickCustomer(client, { title: 'New phone or email: for which customer?' });
    if (!customer) throw new Error('Choose a customer for the new phone or email.');
    if (this.withForm) return this.forms.open({ kind: 'createCustomerContact', profileId, customerId: customer.id });
    const created = await this.collectContactValue({
      title: `New phone or email for ${customer.name}`,
      noun: 'phone or email',
      target: customer.name,
      profileId,
      schema: createCustomerContactRequest,
      send: (current, body, signal) => current.createCustomerContact(customer.id, body, { signal }),
      recovery: { operationId: 'Customers_CreateContact', path: { id: customer.id } },
    });
    await this.records.publish({ type: 'created', entity: { kind: 'customerContact', customerId: customer.id, contact: created }, reveal: 'focus' });
    return created;
  }

  async createLocationContact(arg?: unknown): Promise<LocationContact | FormSession> {
    const { client, profile } = await this.connections.require();
    const profileId = profile.id;
    if (isPlainObject(arg)) {
      const args = parseCommandArgs('stcrm.createLocationContact', createLocationContactArgs, arg);
      const created = await client.createLocationContact(args.locationId, { type: args.type, value: args.value, memo: args.memo });
      await this.records.publish({ type: 'created', entity: { kind: 'locationContact', locationId: args.locationId, contact: created } });
      return created;
    }
    const location = arg instanceof LocationNode ? arg.record : await pickLocation(client, { title: 'New phone or email: for which location?' });
    if (this.withForm) return this.forms.open({ kind: 'createLocationContact', profileId, locationId: location.id });
    const created = await this.collectContactValue({
      title: `New phone or email for ${location.name}`,
      noun: 'phone or email',
      target: location.name,
      profileId,
      schema: createLocationContactRequest,
      send: (current, body, signal) => current.createLocationContact(location.id, body, { signal }),
      recovery: { operationId: 'Locations_CreateContact', path: { id: location.id } },
    });
    await this.records.publish({ type: 'created', entity: { kind: 'locationContact', locationId: location.id, contact: created }, reveal: 'focus' });
    return created;
  }

  async createContactMethod(arg?: unknown): Promise<ContactMethod | FormSession> {
    const { client, profile } = await this.connections.require();
    const profileId = profile.id;
    if (isPlainObject(arg)) {
      const args = parseCommandArgs('stcrm.createContactMethod', createContactMethodArgs, arg);
      const { contactId, ...body } = args;
      const created = await client.createContactMethod(contactId, body);
      await this.records.publish({ type: 'created', entity: { kind: 'contactMethod', method: created } });
      return created;
    }
    const person = arg instanceof PersonNode ? arg.record : await pickPerson(client, { title: 'New contact method: for which contact?' });
    if (this.withForm) return this.forms.open({ kind: 'createContactMethod', profileId, contactId: person.id });
    const created = await this.collectContactValue({
      title: `New contact method for ${personName(person)}`,
      noun: 'contact method',
      target: personName(person),
      profileId,
      schema: createContactMethodRequest,
      send: (current, body, signal) => current.createContactMethod(person.id, body, { signal }),
      recovery: { operationId: 'ContactMethods_CreateContactMethod', path: { contactId: person.id } },
    });
    await this.records.publish({ type: 'created', entity: { kind: 'contactMethod', method: created }, reveal: 'focus' });
    return created;
  }

  /** The phone/email form (type, value, memo) shared by customer phones and contact methods, with its submit. */
  private collectContactValue<S extends z.ZodType, R>(options: {
    title: string;
    noun: string;
    /** Who gets it, for the progress message. */
    target: string;
    profileId: string;
    schema: S;
    send: (client: CrmClient, body: z.output<S>, signal: AbortSignal) => Promise<R>;
    /** How to look for what a create with a lost answer made. */
    recovery: { operationId: RecoverableOperationId; path: Record<string, unknown> };
  }): Promise<R> {
    const problem = (draft: Draft, key: string) => schemaProblem(options.schema, bodyOf(draft, VALUE_KEYS), key);
    return collectAndSubmit({
      noun: options.noun,
      draft: {},
      log: this.log,
      collect: (draft, notice) => {
        const steps = textSteps(options.title, valueFields, draft, problem, notice);
        return runSteps(contactTypeStep(options.title, draft, () => steps[0]), 1 + valueFields.length);
      },
      submit: async (draft) => {
        const current = await this.sameProfile(options.profileId);
        const body = parseCommandArgs('the form', options.schema, bodyOf(draft, VALUE_KEYS));
        return withProgress(`Adding ${draft.value ?? ''} to ${options.target}…`, (signal) => options.send(current, body, signal));
      },
      findCreated: (draft, since) =>
        this.findCreated<R>(options.profileId, options.recovery.operationId, { path: options.recovery.path, body: bodyOf(draft, VALUE_KEYS) }, since, (found) => Promise.resolve(found)),
    });
  }

  /** Records a create with a lost answer may have made, each with how to go on using it. */
  private async findCreated<R>(profileId: string, operationId: RecoverableOperationId, input: OperationInput, since: Date, use: (record: R) => Promise<R>): Promise<FoundRecord<R>[]> {
    const client = await this.sameProfile(profileId);
    const found = await findPossiblyCreated(client, operationId, input, { since });
    const described = describeCandidates(found);
    return found.flatMap((candidate) => {
      const id = String((candidate.record as { id?: unknown }).id);
      const words = described.find((item) => item.id === id);
      return words ? [{ label: words.label, detail: words.detail, use: () => use(candidate.record as R) }] : [];
    });
  }

  /**
   * The client to submit with, as long as the profile the form was opened for is still the
   * active one: a form must never create a record in another tenant, nor fail silently because
   * the connection it started with was closed.
   */
  private async sameProfile(profileId: string): Promise<CrmClient> {
    const connection = await this.connections.active();
    if (!connection || connection.profile.id !== profileId) {
      throw new Error('The active ServiceTitan profile changed while the input was open: switch back to that profile, or run the command again.');
    }
    return connection.client;
  }

  /** Creates the contact, then links it to the customer. A failed link is reported as such: the contact exists. */
  private async createAndLink(client: CrmClient, body: Record<string, string>, customerId: number | undefined, signal?: AbortSignal): Promise<Contact> {
    const created = await client.createContact(body, { signal });
    return this.link(client, created, customerId, signal);
  }

  private async link(client: CrmClient, created: Contact, customerId: number | undefined, signal?: AbortSignal): Promise<Contact> {
    if (customerId === undefined) return created;
    try {
      await client.createContactRelationship(created.id, customerId, 'customer', { signal });
    } catch (error) {
      // Not a ProblemError on purpose: the form must not reopen and create the contact twice.
      throw new Error(`Created contact "${personName(created)}" (${created.id}), but could not link it to customer ${customerId}: ${errorMessage(error)}`);
    }
    return created;
  }

  private async showPerson(created: Contact, customerId: number | undefined, interactive: boolean): Promise<void> {
    if (customerId === undefined) {
      void vscode.window.showInformationMessage(`Created contact "${personName(created)}" (${created.id}). It is not linked to a customer, so the tree does not show it.`);
    }
    await this.records.publish({ type: 'created', entity: { kind: 'person', contact: created }, relatedTo: customerId === undefined ? [] : [customerId], reveal: interactive ? 'focus' : 'select' });
  }
}
