/**
 * What each form loads, and the write its values make: a plan for the one write pipeline
 * (src/writes/). The pipeline sends it, resumes it and recovers lost answers; the form only shows
 * what happened. No webview code here.
 */
import type { CrmClient } from '../api/client';
import type {
  ContactMethod,
  CreateContactMethodRequest,
  CreateCustomerContactRequest,
  UpdateContactMethodRequest,
  UpsertContactMethodRequest,
} from '../api/schemas';
import { CONTACT_TYPE_LABELS, personName } from '../model/entities';
import { mapResult, type WritePlan, type WriteProgress } from '../writes/plan';
import {
  editContactMethodPlan,
  editContactPlan,
  editPhoneOrEmailPlan,
  LINK_STEP,
  methodStepKey,
  newContactMethodPlan,
  newContactPlan,
  newPhoneOrEmailPlan,
  PERSON_STEP,
  type PhoneOwner,
  type Written,
} from '../writes/recordPlans';
import { payloadOf, planEdit, type FormValues } from './page/formModel';
import type { FormProgress, FormTarget } from './page/protocol';

/** What a form shows before anything is typed. */
export interface LoadedForm {
  title: string;
  subtitle?: string;
  /** For edits: the record as the server has it now (a fresh GET). */
  original?: FormValues;
  /** The name of the record the form writes to (a customer), for messages. */
  ownerName?: string;
}

export interface Saved {
  message: string;
  id: string;
}

/** A submit that sent nothing because there is nothing to send. */
export class NothingToSave extends Error {}

export interface FormController {
  load(client: CrmClient): Promise<LoadedForm>;
  /** The write these values make. Throws NothingToSave when an edit changes nothing. */
  plan(values: FormValues, loaded: LoadedForm | undefined): WritePlan<Saved>;
}

const saved = <T extends { id: string | number }>(written: Written<T>): Saved => ({ message: written.message, id: written.id });

function contactValues(record: { type: string; value: string; memo?: string | null }, extra: Record<string, string> = {}): FormValues {
  return { fields: { type: record.type, value: record.value, memo: record.memo ?? '', ...extra }, rows: [] };
}

export function controllerFor(target: FormTarget): FormController {
  switch (target.kind) {
    case 'createContact':
      return newContact(target.customerId);
    case 'createCustomerContact':
      return newPhoneOrEmail({ kind: 'customer', id: target.customerId });
    case 'createLocationContact':
      return newPhoneOrEmail({ kind: 'location', id: target.locationId });
    case 'createContactMethod': {
      const contactId = target.contactId;
      return {
        async load(client) {
          const contact = await client.getContact(contactId);
          return {
            title: `New Contact Method · ${personName(contact)}`,
            subtitle: `For contact ${personName(contact)}${contact.title ? `, ${contact.title}` : ''}`,
          };
        },
        plan: (values) => mapResult(newContactMethodPlan(contactId, payloadOf('createContactMethod', values) as CreateContactMethodRequest), saved),
      };
    }
    case 'editContact': {
      const id = target.contactId;
      return {
        async load(client) {
          const contact = await client.getContact(id);
          const original = {
            fields: { name: contact.name ?? '', title: contact.title ?? '', referenceId: contact.referenceId ?? '', isArchived: String(contact.isArchived) },
            rows: [],
          };
          return { title: `Edit Contact · ${personName(contact)}`, subtitle: `Contact ${contact.id}`, original };
        },
        plan(values, loaded) {
          const edit = planEdit('editContact', loaded?.original ?? values, values);
          if (edit.unchanged) throw new NothingToSave('Nothing changed, so nothing was sent.');
          return mapResult(editContactPlan(id, edit.method, edit.body), saved);
        },
      };
    }
    case 'editCustomerContact':
      return editPhoneOrEmail({ kind: 'customer', id: target.customerId }, target.contactId);
    case 'editLocationContact':
      return editPhoneOrEmail({ kind: 'location', id: target.locationId }, target.contactId);
    case 'editContactMethod': {
      const { contactId, contactMethodId } = target;
      return {
        async load(client) {
          const method: ContactMethod = await client.getContactMethod(contactId, contactMethodId);
          return {
            title: `Edit ${CONTACT_TYPE_LABELS[method.type]} ${method.value}`,
            subtitle: `Contact method ${method.id}`,
            original: contactValues(method, { referenceId: method.referenceId ?? '' }),
          };
        },
        plan(values, loaded) {
          const edit = planEdit('editContactMethod', loaded?.original ?? values, values);
          if (edit.unchanged) throw new NothingToSave('Nothing changed, so nothing was sent.');
          const change =
            edit.method === 'PUT'
              ? { method: 'PUT' as const, body: edit.body as UpsertContactMethodRequest }
              : { method: 'PATCH' as const, body: edit.body as UpdateContactMethodRequest };
          return mapResult(editContactMethodPlan(contactId, contactMethodId, change), saved);
        },
      };
    }
  }
}

async function describeOwner(client: CrmClient, owner: PhoneOwner): Promise<{ name: string; subtitle: string }> {
  if (owner.kind === 'customer') {
    const customer = await client.getCustomer(owner.id);
    return { name: customer.name, subtitle: `For customer ${customer.name} (#${customer.id})` };
  }
  const location = await client.getLocation(owner.id);
  return { name: location.name, subtitle: `For location ${location.name} (#${location.id}) of customer #${location.customerId}` };
}

function newPhoneOrEmail(owner: PhoneOwner): FormController {
  return {
    async load(client) {
      const { name, subtitle } = await describeOwner(client, owner);
      return { title: `New Phone or Email · ${name}`, subtitle };
    },
    plan: (values) =>
      mapResult(
        newPhoneOrEmailPlan(
          owner,
          payloadOf(owner.kind === 'customer' ? 'createCustomerContact' : 'createLocationContact', values) as CreateCustomerContactRequest,
        ),
        saved,
      ),
  };
}

function editPhoneOrEmail(owner: PhoneOwner, contactId: number): FormController {
  const kind = owner.kind === 'customer' ? 'editCustomerContact' : 'editLocationContact';
  return {
    async load(client) {
      const contacts = owner.kind === 'customer' ? await client.allCustomerContacts(owner.id) : await client.allLocationContacts(owner.id);
      const contact = contacts.find((item) => item.id === contactId);
      if (!contact)
        throw new Error(`${owner.kind === 'customer' ? 'Customer' : 'Location'} #${owner.id} has no phone or email with ID ${contactId} (any more).`);
      return {
        title: `Edit ${CONTACT_TYPE_LABELS[contact.type]} ${contact.value}`,
        subtitle: `Phone or email #${contactId} of ${owner.kind} #${owner.id}`,
        original: contactValues(contact),
      };
    },
    plan(values, loaded) {
      const edit = planEdit(kind, loaded?.original ?? values, values);
      if (edit.unchanged) throw new NothingToSave('Nothing changed, so nothing was sent.');
      return mapResult(editPhoneOrEmailPlan(owner, contactId, edit.body), saved);
    },
  };
}

/** New Contact: the person, its link to the customer (when opened from one), each contact-method row. */
function newContact(customerId: number | undefined): FormController {
  return {
    async load(client) {
      if (customerId === undefined)
        return { title: 'New Contact', subtitle: 'Not linked to a customer: the Customers view shows people under their customers only.' };
      const customer = await client.getCustomer(customerId);
      return { title: `New Contact · ${customer.name}`, subtitle: `Linked to customer ${customer.name} (#${customer.id})`, ownerName: customer.name };
    },
    plan(values, loaded) {
      const { contactMethods: _rows, ...person } = payloadOf('createContact', values);
      const methods = values.rows.map((row) => ({
        key: row.id,
        body: payloadOf('createContactMethod', { fields: row.fields, rows: [] }) as CreateContactMethodRequest,
      }));
      const customer = customerId === undefined ? undefined : { id: customerId, name: loaded?.ownerName };
      return mapResult(newContactPlan({ person, customer, methods }), (result) => ({ message: result.message, id: result.contactId }));
    },
  };
}

/**
 * A New Contact form's progress (what the page shows: the person locked, rows marked created) as
 * the pipeline's progress, and back. Row ids are plain data: a row named `constructor` is a row.
 */
export function writeProgressOf(progress: FormProgress): WriteProgress {
  const out: WriteProgress = new Map();
  if (progress.person) out.set(PERSON_STEP, progress.person);
  if (progress.linked) out.set(LINK_STEP, { id: '', label: '' });
  for (const [rowId, methodId] of Object.entries(progress.methods)) out.set(methodStepKey(rowId), { id: methodId, label: '' });
  return out;
}

export function formProgressOf(progress: WriteProgress, values: FormValues): FormProgress {
  const methods: Record<string, string> = {};
  for (const row of values.rows) {
    const done = progress.get(methodStepKey(row.id));
    if (done) Object.defineProperty(methods, row.id, { value: done.id, enumerable: true, writable: true, configurable: true });
  }
  return { person: progress.get(PERSON_STEP), linked: progress.has(LINK_STEP), methods };
}
