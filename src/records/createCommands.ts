import * as vscode from 'vscode';
import * as z from 'zod';
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
  type CreateContactMethodRequest,
  type CreateCustomerContactRequest,
  type CustomerContact,
  type LocationContact,
} from '../api/schemas';
import { isPlainObject, parseCommandArgs, writeArgs } from '../common/commandArgs';
import { readSettings } from '../common/config';
import type { Log } from '../common/log';
import type { Forms } from '../forms/forms';
import type { FormSession } from '../forms/formSession';
import { personName } from '../model/entities';
import { commandTarget, parentRecord } from '../model/commandTarget';
import type { ConnectionManager } from '../profiles/connection';
import type { WritePlan } from '../writes/plan';
import { newContactMethodPlan, newContactPlan, newPhoneOrEmailPlan, type NewContactResult, type PhoneOwner, type Written } from '../writes/recordPlans';
import { bodyOf, contactTypeStep, runSteps, schemaProblem, textSteps, type Draft, type TextField } from '../quickInput/recordSteps';
import { collectAndSubmit } from './collectAndSubmit';
import { pickCustomer, pickLocation, pickPerson } from '../quickInput/recordPickers';
import type { WritePipeline } from './writePipeline';

const CONTACT_KEYS = ['name', 'title', 'referenceId'] as const;
const VALUE_KEYS = ['type', 'value', 'memo'] as const;

const methodArg = z.strictObject({ type: contactType, value: z.string(), memo: z.string().optional(), referenceId: z.string().optional() });
const createContactArgs = z.strictObject({
  customerId: int64Id.optional(),
  name: z.string().optional(),
  title: z.string().optional(),
  referenceId: z.string().optional(),
  contactMethods: z.array(methodArg).max(50).optional(),
  ...writeArgs,
});
const createCustomerContactArgs = z.strictObject({ customerId: int64Id, type: contactType, value: z.string(), memo: z.string().optional(), ...writeArgs });
const createLocationContactArgs = z.strictObject({ locationId: int64Id, type: contactType, value: z.string(), memo: z.string().optional(), ...writeArgs });
const createContactMethodArgs = z.strictObject({
  contactId: guid,
  type: contactType,
  value: z.string(),
  memo: z.string().optional(),
  referenceId: z.string().optional(),
  ...writeArgs,
});

const valueFields: TextField[] = [
  { key: 'value', prompt: 'Phone number, email address or fax number', placeholder: '(555) 010-0199 or jane@example.com' },
  { key: 'memo', prompt: 'Memo', placeholder: 'e.g. office, after 5 pm', optional: true },
];

/**
 * `stcrm.createContact`, `stcrm.createCustomerContact`, `stcrm.createLocationContact`,
 * `stcrm.createContactMethod`: a webview form by default, multi-step quick inputs with
 * `stcrm.createWith: quickInput` (both validated with the client's request schemas), or an
 * argument object for scripts (no UI). All three only collect values: the write itself is one
 * plan (src/writes/recordPlans.ts) run by the one write pipeline, which asks first on a
 * production profile, resumes, recovers lost answers and publishes the new record to the views.
 *
 * Run on a record in the view (or on its group, as "People"), a create goes under that record;
 * from the palette it asks which one (the view's selection is not taken for it).
 */
export class CreateCommands {
  constructor(
    private readonly connections: ConnectionManager,
    private readonly writes: WritePipeline,
    private readonly forms: Forms,
    private readonly log: Log,
  ) {}

  private get withForm(): boolean {
    return readSettings().createWith === 'form';
  }

  async createContact(arg?: unknown): Promise<Contact | FormSession> {
    const { client, profile } = await this.connections.require();
    if (isPlainObject(arg)) {
      const { customerId, productionConfirmed, contactMethods, ...fields } = parseCommandArgs('stcrm.createContact', createContactArgs, arg);
      const plan = newContactPlan({
        person: bodyOf(fields, CONTACT_KEYS),
        customer: customerId === undefined ? undefined : { id: customerId },
        methods: (contactMethods ?? []).map((body, index) => ({ key: `method${index}`, body })),
      });
      const created = await this.writes.perform(plan, { productionConfirmed, progressTitle: 'Creating the contact…' });
      return this.createdPerson(created, customerId);
    }
    const customer =
      parentRecord(commandTarget(arg), 'customer', 'person')?.customer ??
      (await pickCustomer(client, { title: 'New contact: link to which customer?', allowNone: "$(person-add) Don't link it to a customer" }));
    if (this.withForm) return this.forms.open({ kind: 'createContact', profileId: profile.id, customerId: customer?.id });
    const fields: TextField[] = [
      { key: 'name', prompt: 'Name', placeholder: 'Jane Doe' },
      { key: 'title', prompt: 'Job title', placeholder: 'Office manager', optional: true },
      { key: 'referenceId', prompt: 'Reference ID (your own ID for this person)', optional: true },
    ];
    const title = customer ? `New contact for ${customer.name}` : 'New contact';
    const problem = (draft: Draft, key: string) =>
      key === 'name' && !draft.name?.trim() ? 'Enter a name for the contact.' : schemaProblem(createContactRequest, bodyOf(draft, CONTACT_KEYS), key);
    const created = await collectAndSubmit({
      noun: 'contact',
      draft: {},
      log: this.log,
      writes: this.writes,
      profileId: profile.id,
      collect: (draft, notice) => runSteps(textSteps(title, fields, draft, problem, notice)[0], fields.length),
      plan: (draft) => newContactPlan({ person: bodyOf(draft, CONTACT_KEYS), customer: customer && { id: customer.id, name: customer.name }, reveal: 'focus' }),
      progressTitle: (draft) => `Creating contact ${draft.name ?? ''}…`,
    });
    return this.createdPerson(created, customer?.id);
  }

  async createCustomerContact(arg?: unknown): Promise<CustomerContact | FormSession> {
    const { client, profile } = await this.connections.require();
    if (isPlainObject(arg)) {
      const { customerId, productionConfirmed, ...body } = parseCommandArgs('stcrm.createCustomerContact', createCustomerContactArgs, arg);
      return (await this.writes.perform(newPhoneOrEmailPlan({ kind: 'customer', id: customerId }, body), { productionConfirmed })).record;
    }
    const customer =
      parentRecord(commandTarget(arg), 'customer', 'customerContact')?.customer ??
      (await pickCustomer(client, { title: 'New phone or email: for which customer?' }));
    if (!customer) throw new Error('Choose a customer for the new phone or email.');
    if (this.withForm) return this.forms.open({ kind: 'createCustomerContact', profileId: profile.id, customerId: customer.id });
    return this.collectPhoneOrEmail({ kind: 'customer', id: customer.id }, customer.name, profile.id);
  }

  async createLocationContact(arg?: unknown): Promise<LocationContact | FormSession> {
    const { client, profile } = await this.connections.require();
    if (isPlainObject(arg)) {
      const { locationId, productionConfirmed, ...body } = parseCommandArgs('stcrm.createLocationContact', createLocationContactArgs, arg);
      return (await this.writes.perform(newPhoneOrEmailPlan({ kind: 'location', id: locationId }, body), { productionConfirmed })).record;
    }
    const location =
      parentRecord(commandTarget(arg), 'location', 'locationContact')?.location ??
      (await pickLocation(client, { title: 'New phone or email: for which location?' }));
    if (this.withForm) return this.forms.open({ kind: 'createLocationContact', profileId: profile.id, locationId: location.id });
    return this.collectPhoneOrEmail({ kind: 'location', id: location.id }, location.name, profile.id);
  }

  async createContactMethod(arg?: unknown): Promise<ContactMethod | FormSession> {
    const { client, profile } = await this.connections.require();
    if (isPlainObject(arg)) {
      const { contactId, productionConfirmed, ...body } = parseCommandArgs('stcrm.createContactMethod', createContactMethodArgs, arg);
      return (await this.writes.perform(newContactMethodPlan(contactId, body), { productionConfirmed })).record;
    }
    const person =
      parentRecord(commandTarget(arg), 'person', 'contactMethod')?.contact ?? (await pickPerson(client, { title: 'New contact method: for which contact?' }));
    if (this.withForm) return this.forms.open({ kind: 'createContactMethod', profileId: profile.id, contactId: person.id });
    return this.collectContactValue({
      title: `New contact method for ${personName(person)}`,
      noun: 'contact method',
      target: personName(person),
      profileId: profile.id,
      schema: createContactMethodRequest,
      plan: (body: CreateContactMethodRequest) => newContactMethodPlan(person.id, body, 'focus'),
    });
  }

  private collectPhoneOrEmail(owner: PhoneOwner, name: string, profileId: string): Promise<CustomerContact | LocationContact> {
    return this.collectContactValue({
      title: `New phone or email for ${name}`,
      noun: 'phone or email',
      target: name,
      profileId,
      schema: owner.kind === 'customer' ? createCustomerContactRequest : createLocationContactRequest,
      plan: (body: CreateCustomerContactRequest) => newPhoneOrEmailPlan(owner, body, 'focus'),
    });
  }

  /** The type, value and memo inputs shared by phones, emails and contact methods, and their write. */
  private async collectContactValue<S extends z.ZodType, R>(options: {
    title: string;
    noun: string;
    /** Who gets it, for the progress message. */
    target: string;
    profileId: string;
    schema: S;
    plan: (body: z.output<S>) => WritePlan<Written<R>>;
  }): Promise<R> {
    const problem = (draft: Draft, key: string) => schemaProblem(options.schema, bodyOf(draft, VALUE_KEYS), key);
    const written = await collectAndSubmit({
      noun: options.noun,
      draft: {},
      log: this.log,
      writes: this.writes,
      profileId: options.profileId,
      collect: (draft, notice) => {
        const steps = textSteps(options.title, valueFields, draft, problem, notice);
        return runSteps(
          contactTypeStep(options.title, draft, () => steps[0]),
          1 + valueFields.length,
        );
      },
      // Checked while typing with the same schema; the pipeline checks it again before sending.
      plan: (draft) => options.plan(bodyOf(draft, VALUE_KEYS) as z.output<S>),
      progressTitle: (draft) => `Adding ${draft.value ?? ''} to ${options.target}…`,
    });
    return written.record;
  }

  /** The person a New Contact made (read again when an earlier run made it), and a word when the tree cannot show it. */
  private async createdPerson(created: NewContactResult, customerId: number | undefined): Promise<Contact> {
    if (customerId === undefined) {
      void vscode.window.showInformationMessage(`${created.message} It is not linked to a customer, so the tree does not show it.`);
    }
    return created.contact ?? (await this.connections.client()).getContact(created.contactId);
  }
}
