/**
 * What each form loads and sends. A controller runs its requests as named steps; a failing step
 * throws StepError saying which step, where its body sits in the form's payload, and how to
 * look for what it may have created. Progress is recorded as steps finish, so a second submit
 * continues where the first stopped. No webview code here.
 */
import type { CrmClient, OperationInput } from '../api/client';
import type { PathSegment } from '../api/fieldPath';
import type { RecoverableOperationId, RecoveryCandidate } from '../api/recovery';
import type { Contact, ContactMethod, CustomerContact, LocationContact } from '../api/schemas';
import type { Entity } from '../model/entities';
import { CONTACT_TYPE_LABELS, personName } from '../model/entities';
import type { RecordChange } from '../model/recordChanges';
import { payloadOf, planEdit, type FormValues } from './formModel';
import type { FormProgress, FormTarget } from './protocol';

/** What a form shows before anything is typed. */
export interface LoadedForm {
  title: string;
  subtitle?: string;
  /** For edits: the record as the server has it now (a fresh GET). */
  original?: FormValues;
}

export interface SubmitRun {
  client: CrmClient;
  values: FormValues;
  original?: FormValues;
  /** Updated as steps finish. */
  progress: FormProgress;
  /** After "may have been created": the id of the record to use for the first pending step. */
  use?: string;
  /** Shows what is being sent now. */
  step(text: string): void;
  publish(change: RecordChange): Promise<void>;
  signal?: AbortSignal;
}

export interface Saved {
  message: string;
  id: string;
}

/** A step that failed: `base` is where its body sits in the form's payload (`['contactMethods', 1]`). */
export class StepError extends Error {
  constructor(
    readonly step: string,
    readonly base: PathSegment[],
    override readonly cause: unknown,
    readonly recovery?: { operationId: RecoverableOperationId; input: OperationInput },
  ) {
    super(`${step} failed`);
    this.name = 'StepError';
  }
}

/** A submit that sent nothing because there is nothing to send. */
export class NothingToSave extends Error {}

export interface FormController {
  load(client: CrmClient): Promise<LoadedForm>;
  submit(run: SubmitRun): Promise<Saved>;
}

async function step<T>(name: string, base: PathSegment[], run: SubmitRun, work: () => Promise<T>, recovery?: StepError['recovery']): Promise<T> {
  run.step(`${name}…`);
  try {
    return await work();
  } catch (error) {
    throw new StepError(name, base, error, recovery);
  }
}

/** Takes the record picked after "may have been created" (once), or undefined. */
function takeUse(run: SubmitRun): string | undefined {
  const use = run.use;
  run.use = undefined;
  return use;
}

const valueLabel = (record: { type: CustomerContact['type']; value: string }): string => `${CONTACT_TYPE_LABELS[record.type]} ${record.value}`;

function contactValues(record: { type: string; value: string; memo?: string | null }, extra: Record<string, string> = {}): FormValues {
  return { fields: { type: record.type, value: record.value, memo: record.memo ?? '', ...extra }, rows: [] };
}

function personValues(contact: Contact): FormValues {
  return { fields: { name: contact.name ?? '', title: contact.title ?? '', referenceId: contact.referenceId ?? '', isArchived: String(contact.isArchived) }, rows: [] };
}

export function controllerFor(target: FormTarget): FormController {
  switch (target.kind) {
    case 'createContact':
      return newContact(target.customerId);
    case 'createCustomerContact':
      return newPhoneOrEmail(customerPhones(target.customerId));
    case 'createLocationContact':
      return newPhoneOrEmail(locationPhones(target.locationId));
    case 'createContactMethod': {
      const contactId = target.contactId;
      return {
        async load(client) {
          const contact = await client.getContact(contactId);
          return { title: `New Contact Method · ${personName(contact)}`, subtitle: `For contact ${personName(contact)}${contact.title ? `, ${contact.title}` : ''}` };
        },
        async submit(run) {
          const body = payloadOf('createContactMethod', run.values);
          const created = await step('Adding the contact method', [], run, () => run.client.createContactMethod(contactId, body as Parameters<CrmClient['createContactMethod']>[1], { signal: run.signal }), {
            operationId: 'ContactMethods_CreateContactMethod',
            input: { path: { contactId }, body },
          });
          await run.publish({ type: 'created', entity: { kind: 'contactMethod', method: created } });
          return { message: `Added ${valueLabel(created)}.`, id: created.id };
        },
      };
    }
    case 'editContact': {
      const id = target.contactId;
      return {
        async load(client) {
          const contact = await client.getContact(id);
          return { title: `Edit Contact · ${personName(contact)}`, subtitle: `Contact ${contact.id}`, original: personValues(contact) };
        },
        async submit(run) {
          const plan = planEdit('editContact', run.original ?? run.values, run.values);
          if (plan.unchanged) throw new NothingToSave('Nothing changed, so nothing was sent.');
          const body = plan.body as Parameters<CrmClient['updateContact']>[1];
          const saved = await step(plan.method === 'PUT' ? 'Replacing the contact (PUT)' : 'Saving the contact', [], run, () =>
            plan.method === 'PUT' ? run.client.replaceContact(id, body, { signal: run.signal }) : run.client.updateContact(id, body, { signal: run.signal }),
          );
          await run.publish({ type: 'updated', entity: { kind: 'person', contact: saved } });
          return { message: `Saved ${personName(saved)}.`, id: saved.id };
        },
      };
    }
    case 'editCustomerContact':
      return editPhoneOrEmail(customerPhones(target.customerId), target.contactId);
    case 'editLocationContact':
      return editPhoneOrEmail(locationPhones(target.locationId), target.contactId);
    case 'editContactMethod': {
      const { contactId, contactMethodId } = target;
      return {
        async load(client) {
          const method: ContactMethod = await client.getContactMethod(contactId, contactMethodId);
          return { title: `Edit ${valueLabel(method)}`, subtitle: `Contact method ${method.id}`, original: contactValues(method, { referenceId: method.referenceId ?? '' }) };
        },
        async submit(run) {
          const plan = planEdit('editContactMethod', run.original ?? run.values, run.values);
          if (plan.unchanged) throw new NothingToSave('Nothing changed, so nothing was sent.');
          const saved = await step(plan.method === 'PUT' ? 'Replacing the contact method (PUT)' : 'Saving the contact method', [], run, () =>
            plan.method === 'PUT'
              ? run.client.upsertContactMethod(contactId, contactMethodId, plan.body as Parameters<CrmClient['upsertContactMethod']>[2], { signal: run.signal })
              : run.client.updateContactMethod(contactId, contactMethodId, plan.body, { signal: run.signal }),
          );
          await run.publish({ type: 'updated', entity: { kind: 'contactMethod', method: saved } });
          return { message: `Saved ${valueLabel(saved)}.`, id: saved.id };
        },
      };
    }
  }
}

type PhoneOrEmail = CustomerContact | LocationContact;

/** A customer's or a location's phones and emails: the API has one set of operations for each. */
interface PhoneOwner {
  kind: 'createCustomerContact' | 'createLocationContact';
  editKind: 'editCustomerContact' | 'editLocationContact';
  noun: string;
  id: number;
  describe(client: CrmClient): Promise<{ name: string; subtitle: string }>;
  list(client: CrmClient): Promise<PhoneOrEmail[]>;
  create(client: CrmClient, body: Parameters<CrmClient['createCustomerContact']>[1], signal?: AbortSignal): Promise<PhoneOrEmail>;
  update(client: CrmClient, contactId: number, body: Parameters<CrmClient['updateCustomerContact']>[2], signal?: AbortSignal): Promise<PhoneOrEmail>;
  createOperation: 'Customers_CreateContact' | 'Locations_CreateContact';
  change(contact: PhoneOrEmail): Entity;
}

function customerPhones(id: number): PhoneOwner {
  return {
    kind: 'createCustomerContact',
    editKind: 'editCustomerContact',
    noun: 'customer',
    id,
    async describe(client) {
      const customer = await client.getCustomer(id);
      return { name: customer.name, subtitle: `For customer ${customer.name} (#${customer.id})` };
    },
    list: (client) => client.allCustomerContacts(id),
    create: (client, body, signal) => client.createCustomerContact(id, body, { signal }),
    update: (client, contactId, body, signal) => client.updateCustomerContact(id, contactId, body, { signal }),
    createOperation: 'Customers_CreateContact',
    change: (contact) => ({ kind: 'customerContact', customerId: id, contact }),
  };
}

function locationPhones(id: number): PhoneOwner {
  return {
    kind: 'createLocationContact',
    editKind: 'editLocationContact',
    noun: 'location',
    id,
    async describe(client) {
      const location = await client.getLocation(id);
      return { name: location.name, subtitle: `For location ${location.name} (#${location.id}) of customer #${location.customerId}` };
    },
    list: (client) => client.allLocationContacts(id),
    create: (client, body, signal) => client.createLocationContact(id, body, { signal }),
    update: (client, contactId, body, signal) => client.updateLocationContact(id, contactId, body, { signal }),
    createOperation: 'Locations_CreateContact',
    change: (contact) => ({ kind: 'locationContact', locationId: id, contact }),
  };
}

function newPhoneOrEmail(owner: PhoneOwner): FormController {
  return {
    async load(client) {
      const { name, subtitle } = await owner.describe(client);
      return { title: `New Phone or Email · ${name}`, subtitle };
    },
    async submit(run) {
      const body = payloadOf(owner.kind, run.values) as Parameters<CrmClient['createCustomerContact']>[1];
      const created = await step('Adding the phone or email', [], run, () => owner.create(run.client, body, run.signal), {
        operationId: owner.createOperation,
        input: { path: { id: owner.id }, body },
      });
      await run.publish({ type: 'created', entity: owner.change(created) });
      return { message: `Added ${valueLabel(created)} to ${owner.noun} #${owner.id}.`, id: String(created.id) };
    },
  };
}

function editPhoneOrEmail(owner: PhoneOwner, contactId: number): FormController {
  return {
    async load(client) {
      const contact = (await owner.list(client)).find((item) => item.id === contactId);
      if (!contact) throw new Error(`${owner.noun === 'customer' ? 'Customer' : 'Location'} #${owner.id} has no phone or email with ID ${contactId} (any more).`);
      return { title: `Edit ${valueLabel(contact)}`, subtitle: `Phone or email #${contactId} of ${owner.noun} #${owner.id}`, original: contactValues(contact) };
    },
    async submit(run) {
      const plan = planEdit(owner.editKind, run.original ?? run.values, run.values);
      if (plan.unchanged) throw new NothingToSave('Nothing changed, so nothing was sent.');
      const saved = await step('Saving the phone or email', [], run, () => owner.update(run.client, contactId, plan.body, run.signal));
      await run.publish({ type: 'updated', entity: owner.change(saved) });
      return { message: `Saved ${valueLabel(saved)}.`, id: String(saved.id) };
    },
  };
}

/**
 * New Contact: create the person, link it to the customer (when opened from one), then add each
 * contact-method row. Steps already done are skipped, so a failure in the middle and a second
 * submit leave exactly one person with every method.
 */
function newContact(customerId: number | undefined): FormController {
  let customerName: string | undefined;
  return {
    async load(client) {
      if (customerId === undefined) return { title: 'New Contact', subtitle: 'Not linked to a customer: the Customers view shows people under their customers only.' };
      const customer = await client.getCustomer(customerId);
      customerName = customer.name;
      return { title: `New Contact · ${customer.name}`, subtitle: `Linked to customer ${customer.name} (#${customer.id})` };
    },
    async submit(run) {
      const { contactMethods: _rows, ...person } = payloadOf('createContact', run.values);
      let personId = run.progress.person?.id;
      let created: Contact | undefined;
      if (personId === undefined) {
        const use = takeUse(run);
        const body = person as Parameters<CrmClient['createContact']>[0];
        created = use
          ? await step('Looking up the contact found', [], run, () => run.client.getContact(use))
          : await step('Creating the contact', [], run, () => run.client.createContact(body, { signal: run.signal }), { operationId: 'Contacts_Create', input: { body } });
        personId = created.id;
        run.progress.person = { id: created.id, label: personName(created) };
        if (customerId === undefined) await run.publish({ type: 'created', entity: { kind: 'person', contact: created }, relatedTo: [] });
      }
      const contactId = personId;
      if (customerId !== undefined && !run.progress.linked) {
        if (takeUse(run) === undefined) {
          await step(`Linking the contact to ${customerName ?? `customer #${customerId}`}`, [], run, () => run.client.createContactRelationship(contactId, customerId, 'customer', { signal: run.signal }), {
            operationId: 'Contacts_CreateContactRelationship',
            input: { path: { contactId, relatedEntityId: customerId, typeSlug: 'customer' } },
          });
        }
        run.progress.linked = true;
        const contact = created ?? (await run.client.getContact(contactId));
        await run.publish({ type: 'created', entity: { kind: 'person', contact }, relatedTo: [customerId] });
      }
      for (const [index, row] of run.values.rows.entries()) {
        if (run.progress.methods[row.id] !== undefined) continue;
        const body = payloadOf('createContactMethod', { fields: row.fields, rows: [] }) as Parameters<CrmClient['createContactMethod']>[1];
        const use = takeUse(run);
        const method = use
          ? await step(`Looking up contact method ${index + 1}`, ['contactMethods', index], run, () => run.client.getContactMethod(contactId, use))
          : await step(`Adding contact method ${index + 1} (${valueLabel(body)})`, ['contactMethods', index], run, () => run.client.createContactMethod(contactId, body, { signal: run.signal }), {
              operationId: 'ContactMethods_CreateContactMethod',
              input: { path: { contactId }, body },
            });
        run.progress.methods[row.id] = method.id;
        await run.publish({ type: 'created', entity: { kind: 'contactMethod', method }, reveal: 'none' });
      }
      const total = Object.keys(run.progress.methods).length;
      const name = run.progress.person?.label ?? 'the contact';
      const methods = total > 0 ? ` with ${total} contact method${total === 1 ? '' : 's'}` : '';
      const where = customerId !== undefined ? ` for ${customerName ?? `customer #${customerId}`}` : '';
      return { message: `Created ${name}${where}${methods}.`, id: contactId };
    },
  };
}

/** What a multi-step create has already done, for messages after a failure. */
export function describeProgress(progress: FormProgress, target: FormTarget): string | undefined {
  if (target.kind !== 'createContact' || !progress.person) return undefined;
  const parts = [`created ${progress.person.label} (${progress.person.id})`];
  if (target.customerId !== undefined && progress.linked) parts.push(`linked it to customer #${target.customerId}`);
  const methods = Object.keys(progress.methods).length;
  if (methods > 0) parts.push(`added ${methods} contact method${methods === 1 ? '' : 's'}`);
  return `Already done: ${parts.join(', ')}. Submitting again continues from the step that failed.`;
}

/** The records a lost create may have made, in a few words each with why they match, for the choices offered. */
export function describeCandidates(found: readonly RecoveryCandidate<unknown>[]): { id: string; label: string; detail: string }[] {
  return found.flatMap((candidate) => {
    const record = candidate.record;
    if (typeof record !== 'object' || record === null || !('id' in record)) return [];
    const item = record as { id: string | number; type?: CustomerContact['type']; value?: string; memo?: string | null; referenceId?: string | null; name?: string | null; createdOn?: string };
    const label = item.type !== undefined && item.value !== undefined ? valueLabel({ type: item.type, value: item.value }) : item.name?.trim() || '(no name)';
    const created = item.createdOn ? `created ${new Date(item.createdOn).toLocaleString('en-US')}` : undefined;
    const detail = [candidate.reason, item.memo, item.referenceId ? `reference ${item.referenceId}` : undefined, created, `ID ${String(item.id)}`].filter(Boolean).join(' · ');
    return [{ id: String(item.id), label, detail }];
  });
}
