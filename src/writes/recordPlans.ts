/**
 * The record writes every surface shares, as plans for the engine: New Contact (person, link to a
 * customer, contact methods), phones and emails of customers and locations, contact methods,
 * edits, deletes, archive, and any operation from a request file. Each surface (form, quick
 * input, argument object, tree menu) only collects the values. No vscode import.
 */
import type { CrmOperationId } from '../api/schemas/operations';
import type {
  Contact,
  ContactMethod,
  CreateContactMethodRequest,
  CreateContactRequest,
  CreateCustomerContactRequest,
  CustomerContact,
  LocationContact,
  RelationshipTypeSlug,
  UpdateContactMethodRequest,
  UpdateCustomerContactRequest,
  UpsertContactMethodRequest,
} from '../api/schemas';
import type { RawExchange } from '../api/request';
import { CONTACT_TYPE_LABELS, personName, type Entity } from '../model/entities';
import type { RecordChange } from '../model/recordChanges';
import { idOf, writeStep, type AnyWriteStep, type DoneStep, type WritePlan } from './plan';

/** How the views show a new record (see RecordChange): forms `select`, quick inputs `focus`. */
export type Reveal = 'none' | 'select' | 'focus';

const valueLabel = (record: { type: CustomerContact['type']; value: string }): string => `${CONTACT_TYPE_LABELS[record.type]} ${record.value}`;

/** What a record write made or changed, with a sentence for the user. */
export interface Written<T> {
  record: T;
  id: string;
  message: string;
}

// ---- New Contact ---------------------------------------------------------------------------------

export interface NewContactValues {
  person: CreateContactRequest;
  /** Link the new person to this customer (a contact relationship). */
  customer?: { id: number; name?: string };
  /** Contact methods to add, each with a key that stays the same across runs (the form's row id). */
  methods?: readonly { key: string; body: CreateContactMethodRequest }[];
  reveal?: Reveal;
}

export interface NewContactResult {
  contactId: string;
  /** The person as this run made or read it; undefined when an earlier run made it. */
  contact?: Contact;
  methods: number;
  message: string;
}

export const PERSON_STEP = 'person';
export const LINK_STEP = 'link';
export const methodStepKey = (rowKey: string): string => `method:${rowKey}`;

/**
 * Create the person, link it to the customer, add each contact method. A failure in the middle
 * leaves the progress, and running the plan again continues from the step that failed, so one
 * person ends up with every method.
 */
export function newContactPlan(values: NewContactValues): WritePlan<NewContactResult> {
  const customer = values.customer;
  const customerName = customer ? (customer.name ?? `customer #${customer.id}`) : undefined;
  const reveal = values.reveal ?? 'select';
  const steps: AnyWriteStep[] = [
    writeStep({
      key: PERSON_STEP,
      label: 'Creating the contact',
      operationId: 'Contacts_Create',
      input: { body: values.person },
      done: (contact) => ({ id: contact.id, label: personName(contact) }),
      // Linked people show under their customer once the link exists; unlinked ones now.
      change: ({ result }) => (customer ? undefined : { type: 'created', entity: { kind: 'person', contact: result }, relatedTo: [], reveal }),
    }),
  ];
  if (customer) {
    steps.push(
      writeStep({
        key: LINK_STEP,
        label: `Linking the contact to ${customerName ?? ''}`,
        operationId: 'Contacts_CreateContactRelationship',
        input: { path: { contactId: idOf(PERSON_STEP), relatedEntityId: customer.id, typeSlug: 'customer' satisfies RelationshipTypeSlug } },
        done: () => ({ id: String(customer.id), label: customerName ?? '' }),
        change: async ({ progress, results, client, signal }) => {
          const made = results.get(PERSON_STEP) as Contact | undefined;
          const contact = made ?? (await client.getContact(progress.get(PERSON_STEP)?.id ?? '', { signal }));
          return { type: 'created', entity: { kind: 'person', contact }, relatedTo: [customer.id], reveal };
        },
      }),
    );
  }
  for (const [index, method] of (values.methods ?? []).entries()) {
    steps.push(
      writeStep({
        key: methodStepKey(method.key),
        label: `Adding contact method ${index + 1} (${valueLabel(method.body)})`,
        operationId: 'ContactMethods_CreateContactMethod',
        input: { path: { contactId: idOf(PERSON_STEP) }, body: method.body },
        base: ['contactMethods', index],
        done: (created) => ({ id: created.id, label: valueLabel(created) }),
        change: ({ result }) => ({ type: 'created', entity: { kind: 'contactMethod', method: result }, reveal: 'none' }),
      }),
    );
  }
  return {
    title: 'New Contact',
    steps,
    finish: ({ progress, results }) => {
      const person = progress.get(PERSON_STEP);
      const count = (values.methods ?? []).filter((method) => progress.has(methodStepKey(method.key))).length;
      const methods = count > 0 ? ` with ${count} contact method${count === 1 ? '' : 's'}` : '';
      const where = customerName ? ` for ${customerName}` : '';
      return {
        contactId: person?.id ?? '',
        contact: results.get(PERSON_STEP) as Contact | undefined,
        methods: count,
        message: `Created ${person?.label ?? 'the contact'}${where}${methods}.`,
      };
    },
    describeDone: (progress) => {
      const person = progress.get(PERSON_STEP);
      if (!person) return undefined;
      const parts = [`created ${person.label} (${person.id})`];
      if (customer && progress.has(LINK_STEP)) parts.push(`linked it to ${customerName ?? ''}`);
      const methods = (values.methods ?? []).filter((method) => progress.has(methodStepKey(method.key))).length;
      if (methods > 0) parts.push(`added ${methods} contact method${methods === 1 ? '' : 's'}`);
      return `Already done: ${parts.join(', ')}. Running it again continues from the step that failed.`;
    },
  };
}

// ---- phones and emails of customers and locations, contact methods ------------------------------

/** A customer's or a location's phones and emails: the API has one set of operations for each. */
export type PhoneOwner = { kind: 'customer'; id: number } | { kind: 'location'; id: number };

function phoneEntity(owner: PhoneOwner, contact: CustomerContact | LocationContact): Entity {
  return owner.kind === 'customer' ? { kind: 'customerContact', customerId: owner.id, contact } : { kind: 'locationContact', locationId: owner.id, contact };
}

/** One call whose answer is the record: the common shape of creates and edits. */
function singleStep<R extends { id: string | number }>(title: string, step: AnyWriteStep, message: (record: R) => string): WritePlan<Written<R>> {
  return {
    title,
    steps: [step],
    finish: ({ results }) => {
      const record = results.get(step.key) as R;
      return { record, id: String(record.id), message: message(record) };
    },
  };
}

export function newPhoneOrEmailPlan(
  owner: PhoneOwner,
  body: CreateCustomerContactRequest,
  reveal: Reveal = 'select',
): WritePlan<Written<CustomerContact | LocationContact>> {
  const step =
    owner.kind === 'customer'
      ? writeStep({
          key: 'create',
          label: 'Adding the phone or email',
          operationId: 'Customers_CreateContact',
          input: { path: { id: owner.id }, body },
          done: (contact) => ({ id: String(contact.id), label: valueLabel(contact) }),
          change: ({ result }) => ({ type: 'created', entity: phoneEntity(owner, result), reveal }),
        })
      : writeStep({
          key: 'create',
          label: 'Adding the phone or email',
          operationId: 'Locations_CreateContact',
          input: { path: { id: owner.id }, body },
          done: (contact) => ({ id: String(contact.id), label: valueLabel(contact) }),
          change: ({ result }) => ({ type: 'created', entity: phoneEntity(owner, result), reveal }),
        });
  return singleStep('New Phone or Email', step, (created: CustomerContact) => `Added ${valueLabel(created)} to ${owner.kind} #${owner.id}.`);
}

export function newContactMethodPlan(contactId: string, body: CreateContactMethodRequest, reveal: Reveal = 'select'): WritePlan<Written<ContactMethod>> {
  const step = writeStep({
    key: 'create',
    label: 'Adding the contact method',
    operationId: 'ContactMethods_CreateContactMethod',
    input: { path: { contactId }, body },
    done: (created) => ({ id: created.id, label: valueLabel(created) }),
    change: ({ result }) => ({ type: 'created', entity: { kind: 'contactMethod', method: result }, reveal }),
  });
  return singleStep('New Contact Method', step, (created: ContactMethod) => `Added ${valueLabel(created)}.`);
}

// ---- edits ---------------------------------------------------------------------------------------

/** PATCH changes what it is given; PUT replaces the record (fields left out are cleared). */
export type EditMethod = 'PATCH' | 'PUT';

export function editContactPlan(contactId: string, method: EditMethod, body: Record<string, unknown>): WritePlan<Written<Contact>> {
  const updated = (result: Contact): RecordChange => ({ type: 'updated', entity: { kind: 'person', contact: result } });
  const step =
    method === 'PUT'
      ? writeStep({
          key: 'save',
          label: 'Replacing the contact (PUT)',
          operationId: 'Contacts_Replace',
          input: { path: { id: contactId }, body },
          change: ({ result }) => updated(result),
        })
      : writeStep({
          key: 'save',
          label: 'Saving the contact',
          operationId: 'Contacts_Update',
          input: { path: { id: contactId }, body },
          change: ({ result }) => updated(result),
        });
  return singleStep('Edit Contact', step, (saved: Contact) => `Saved ${personName(saved)}.`);
}

export function archiveContactPlan(contactId: string, isArchived: boolean): WritePlan<Written<Contact>> {
  const step = writeStep({
    key: 'save',
    label: isArchived ? 'Archiving the contact' : 'Restoring the contact',
    operationId: 'Contacts_Update',
    input: { path: { id: contactId }, body: { isArchived } },
    change: ({ result }) => ({ type: 'updated', entity: { kind: 'person', contact: result } }),
  });
  return singleStep(
    isArchived ? 'Archive Contact' : 'Unarchive Contact',
    step,
    (saved: Contact) => `${isArchived ? 'Archived' : 'Restored'} ${personName(saved)}.`,
  );
}

export function editPhoneOrEmailPlan(
  owner: PhoneOwner,
  contactId: number,
  body: UpdateCustomerContactRequest,
): WritePlan<Written<CustomerContact | LocationContact>> {
  const step =
    owner.kind === 'customer'
      ? writeStep({
          key: 'save',
          label: 'Saving the phone or email',
          operationId: 'Customers_UpdateContact',
          input: { path: { id: owner.id, contactId }, body },
          change: ({ result }) => ({ type: 'updated', entity: phoneEntity(owner, result) }),
        })
      : writeStep({
          key: 'save',
          label: 'Saving the phone or email',
          operationId: 'Locations_UpdateContact',
          input: { path: { id: owner.id, contactId }, body },
          change: ({ result }) => ({ type: 'updated', entity: phoneEntity(owner, result) }),
        });
  return singleStep('Edit Phone or Email', step, (saved: CustomerContact) => `Saved ${valueLabel(saved)}.`);
}

export function editContactMethodPlan(
  contactId: string,
  contactMethodId: string,
  edit: { method: 'PATCH'; body: UpdateContactMethodRequest } | { method: 'PUT'; body: UpsertContactMethodRequest },
): WritePlan<Written<ContactMethod>> {
  const updated = (result: ContactMethod): RecordChange => ({ type: 'updated', entity: { kind: 'contactMethod', method: result } });
  const path = { contactId, contactMethodId };
  const step =
    edit.method === 'PUT'
      ? writeStep({
          key: 'save',
          label: 'Replacing the contact method (PUT)',
          operationId: 'ContactMethods_UpsertContactMethod',
          input: { path, body: edit.body },
          change: ({ result }) => updated(result),
        })
      : writeStep({
          key: 'save',
          label: 'Saving the contact method',
          operationId: 'ContactMethods_UpdateContactMethod',
          input: { path, body: edit.body },
          change: ({ result }) => updated(result),
        });
  return singleStep('Edit Contact Method', step, (saved: ContactMethod) => `Saved ${valueLabel(saved)}.`);
}

// ---- deletes -------------------------------------------------------------------------------------

export interface Deleted {
  message: string;
}

function deletePlan(title: string, steps: AnyWriteStep[], message: string): WritePlan<Deleted> {
  return { title, steps, finish: () => ({ message }) };
}

export function deletePhoneOrEmailPlan(owner: PhoneOwner, contactId: number): WritePlan<Deleted> {
  const change = (): RecordChange => ({
    type: 'deleted',
    kind: owner.kind === 'customer' ? 'customerContact' : 'locationContact',
    id: String(contactId),
    parentId: String(owner.id),
  });
  const step =
    owner.kind === 'customer'
      ? writeStep({
          key: 'delete',
          label: 'Deleting the phone or email',
          operationId: 'Customers_DeleteContact',
          input: { path: { id: owner.id, contactId } },
          change,
        })
      : writeStep({
          key: 'delete',
          label: 'Deleting the phone or email',
          operationId: 'Locations_DeleteContact',
          input: { path: { id: owner.id, contactId } },
          change,
        });
  return deletePlan('Delete Phone or Email', [step], `Deleted phone or email ${contactId} of ${owner.kind} ${owner.id}.`);
}

/**
 * ServiceTitan refuses to delete a person (409) while relationships exist, so they are removed
 * first: the caller reads them and they are listed in the confirmation.
 */
export function deleteContactPlan(contactId: string, links: readonly { relatedEntityId: number; typeSlug: RelationshipTypeSlug }[]): WritePlan<Deleted> {
  const steps: AnyWriteStep[] = links.map((link) =>
    writeStep({
      key: `unlink:${link.typeSlug}:${link.relatedEntityId}`,
      label: `Removing the link to ${link.typeSlug} ${link.relatedEntityId}`,
      operationId: 'Contacts_DeleteContactRelationship',
      input: { path: { contactId, relatedEntityId: link.relatedEntityId, typeSlug: link.typeSlug } },
    }),
  );
  steps.push(
    writeStep({
      key: 'delete',
      label: 'Deleting the contact',
      operationId: 'Contacts_DeleteContact',
      input: { path: { id: contactId } },
      change: () => ({ type: 'deleted', kind: 'person', id: contactId }),
    }),
  );
  return deletePlan('Delete Contact', steps, `Deleted contact ${contactId} (and ${links.length} relationship${links.length === 1 ? '' : 's'}).`);
}

export function deleteContactMethodPlan(contactId: string, contactMethodId: string): WritePlan<Deleted> {
  const step = writeStep({
    key: 'delete',
    label: 'Deleting the contact method',
    operationId: 'ContactMethods_DeleteContactMethod',
    input: { path: { contactId, contactMethodId } },
    change: () => ({ type: 'deleted', kind: 'contactMethod', id: contactMethodId, parentId: contactId }),
  });
  return deletePlan('Delete Contact Method', [step], `Deleted contact method ${contactMethodId} of contact ${contactId}.`);
}

// ---- any operation (request files, test suites, agent tools) -----------------------------------

/** One call of any CRM v2 operation, answered as it came (any status); `unchecked` sends the input as written. */
export function operationPlan(
  operationId: CrmOperationId,
  input: { path?: Record<string, unknown>; query?: object; body?: unknown },
  options: { unchecked?: boolean } = {},
): WritePlan<RawExchange<unknown>> {
  const step: AnyWriteStep = {
    key: 'call',
    label: `Sending ${operationId}`,
    operationId,
    input,
    raw: true,
    unchecked: options.unchecked,
    done: (): DoneStep => ({ id: '', label: operationId }),
  };
  return { title: operationId, steps: [step], finish: ({ results }) => results.get('call') as RawExchange<unknown> };
}
