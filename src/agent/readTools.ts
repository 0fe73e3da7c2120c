/**
 * The agent tools that only read: find customers, one customer with what surrounds it, and any
 * GET operation. Each answers a ToolResult of compact records; failures throw and the caller
 * turns them into results (toolResults.ts). No vscode import.
 */
import type { CrmClient } from '../api/client';
import type { FieldError } from '../api/errors';
import { operationParams } from '../api/client';
import type { Page } from '../api/paging';
import { snippet, statusLine } from '../api/problem';
import type { RawExchange } from '../api/request';
import type { Contact, ContactMethod, Customer, CustomerContact, ListCustomersQuery, Location, LocationContact } from '../api/schemas';
import { CRM_OPERATIONS } from '../api/schemas/operations';
import { formatAddress, personName } from '../model/entities';
import { fitList, type ListRequest } from './listFit';
import type { ToolInput } from './toolInputs';
import { invalidInputResult, problemResult, type ToolResult } from './toolResults';

/** How many of each list around a customer stcrm_getCustomer shows. */
export const CUSTOMER_LIST_LIMIT = 10;
/** People found by e-mail whose customers are looked up (one call each). */
const MAX_EMAIL_PEOPLE = 10;

const plural = (count: number, noun: string): string => `${count} ${noun}${count === 1 ? '' : 's'}`;

// ---- stcrm_findCustomers -------------------------------------------------------------------------

export async function findCustomers(client: CrmClient, input: ToolInput<'stcrm_findCustomers'>, signal?: AbortSignal): Promise<ToolResult> {
  const page = input.page ?? 1;
  const pageSize = input.pageSize ?? 10;
  const query: ListCustomersQuery = { page, pageSize, includeTotal: true, active: input.includeInactive ? 'Any' : 'True' };
  const said: string[] = [];
  for (const key of ['name', 'street', 'city', 'state', 'zip'] as const) {
    const value = input[key]?.trim();
    if (value) {
      query[key] = value;
      said.push(`${key} "${value}"`);
    }
  }
  if (input.phone !== undefined) {
    // ServiceTitan compares phone numbers by their digits.
    const digits = input.phone.replace(/\D/g, '');
    if (digits === '') return invalidInputResult('stcrm_findCustomers', [problem('phone', 'Enter a phone number with its digits, e.g. 555-010-0199.')]);
    query.phone = digits;
    said.push(`phone ${digits}`);
  }
  if (input.email !== undefined) {
    const email = input.email.trim();
    if (email === '') return invalidInputResult('stcrm_findCustomers', [problem('email', 'Enter an e-mail address, or leave email out.')]);
    const ids = await customerIdsByEmail(client, email, signal);
    if (ids.length === 0) {
      return {
        text: `No customer has a person with the e-mail address ${email}. (The API finds e-mail addresses of people, not those stored on the customer itself: try the name or phone.)`,
        data: { customers: [], page: 1, hasMore: false },
      };
    }
    query.ids = ids;
    said.push(`e-mail ${email}`);
  }
  const found = await client.listCustomers(query, { signal });
  const customers = found.data.map(customerRow);
  const filters = said.length > 0 ? ` with ${said.join(', ')}` : '';
  const total = found.totalCount !== undefined ? plural(found.totalCount, 'customer') : plural(customers.length, 'customer');
  const more = found.hasMore ? ` There are more: call again with page ${page + 1}.` : '';
  return {
    text: `${total} found${filters}${input.includeInactive ? '' : ' (active only)'}. Page ${page} holds ${customers.length}.${more}`,
    data: { customers, page, pageSize, hasMore: found.hasMore, totalCount: found.totalCount },
  };
}

function problem(field: string, message: string): FieldError {
  return { field, message, location: 'body', path: [field] };
}

/** Customers with a person who has this e-mail address: contact methods → their people's customer relationships. */
async function customerIdsByEmail(client: CrmClient, email: string, signal: AbortSignal | undefined): Promise<number[]> {
  const methods = await client.call('Contacts_SearchContactMethods', { query: { type: 'Email', value: email, pageSize: 50 } }, { signal });
  const people = [...new Set(methods.data.map((method) => method.contactId))].slice(0, MAX_EMAIL_PEOPLE);
  const links = await Promise.all(people.map((contactId) => client.listContactRelationships(contactId, { typeSlug: 'customer', pageSize: 50 }, { signal })));
  return [...new Set(links.flatMap((page) => page.data.map((link) => link.relatedEntityId)))].slice(0, 50);
}

function customerRow(customer: Customer): Record<string, unknown> {
  return {
    id: customer.id,
    name: customer.name,
    type: customer.type,
    active: customer.active,
    address: formatAddress(customer.address),
    ...(customer.doNotService ? { doNotService: true } : {}),
  };
}

// ---- stcrm_getCustomer ---------------------------------------------------------------------------

export async function getCustomer(client: CrmClient, input: ToolInput<'stcrm_getCustomer'>, signal?: AbortSignal): Promise<ToolResult> {
  const id = input.customerId;
  const options = { signal };
  const first = { pageSize: CUSTOMER_LIST_LIMIT, includeTotal: true };
  const customer = await client.getCustomer(id, options);
  const [phones, locations, people] = await Promise.all([
    client.listCustomerContacts(id, first, options),
    client.listLocations({ customerId: id, active: 'Any', ...first }, options),
    client.listContactsByRelatedEntity(id, first, options),
  ]);
  const [locationPhones, methods] = await Promise.all([
    Promise.all(locations.data.map((location) => client.listLocationContacts(location.id, first, options))),
    Promise.all(people.data.map((person) => client.listContactMethods(person.id, first, options))),
  ]);
  const more: string[] = [];
  const cut = (page: Page<unknown>, what: string, operation: string, query: Record<string, unknown>, path?: Record<string, unknown>): void => {
    if (!page.hasMore) return;
    // Page 2 of the same page size starts right after what is shown: nothing skipped, nothing twice.
    const call = JSON.stringify({ operation, ...(path ? { path } : {}), query: { ...query, page: 2, pageSize: CUSTOMER_LIST_LIMIT } });
    const total = page.totalCount !== undefined && page.totalCount !== null ? ` of ${page.totalCount}` : ', and more';
    more.push(`${what}: ${page.data.length} shown${total}; the rest with stcrm_callOperation ${call}, then page 3, 4 … while hasMore`);
  };
  cut(phones, 'Phones and e-mails', 'Customers_GetContactList', {}, { id });
  cut(locations, 'Locations', 'Locations_GetList', { customerId: id, active: 'Any' });
  cut(people, 'People', 'Contacts_GetByRelationshipId', {}, { relationshipId: id });
  locations.data.forEach((location, index) =>
    cut(locationPhones[index] ?? emptyPage(), `Phones of location ${location.id}`, 'Locations_GetContactList', {}, { id: location.id }),
  );
  people.data.forEach((person, index) =>
    cut(methods[index] ?? emptyPage(), `Contact methods of ${person.id}`, 'ContactMethods_GetContactMethods', {}, { contactId: person.id }),
  );

  const data = {
    customer: {
      id: customer.id,
      name: customer.name,
      type: customer.type,
      active: customer.active,
      address: formatAddress(customer.address),
      balance: customer.balance,
      doNotMail: customer.doNotMail,
      doNotService: customer.doNotService,
      createdOn: customer.createdOn,
      modifiedOn: customer.modifiedOn,
      ...(customer.mergedToId ? { mergedToId: customer.mergedToId } : {}),
    },
    phonesAndEmails: phones.data.map(phoneRow),
    locations: locations.data.map((location, index) => locationRow(location, locationPhones[index]?.data ?? [])),
    people: people.data.map((person, index) => personRow(person, methods[index]?.data ?? [])),
  };
  const counts = [plural(data.locations.length, 'location'), plural(data.people.length, 'person'), plural(data.phonesAndEmails.length, 'phone or e-mail')];
  return {
    text: `Customer ${customer.id} "${customer.name}" (${customer.type}, ${customer.active ? 'active' : 'inactive'}): ${counts.join(', ')}.${more.length > 0 ? `\n${more.join('\n')}` : ''}`,
    data,
  };
}

function emptyPage(): Page<never> {
  return { page: 1, pageSize: 0, hasMore: false, data: [] };
}

function phoneRow(contact: CustomerContact | LocationContact): Record<string, unknown> {
  return { id: contact.id, type: contact.type, value: contact.value, ...(contact.memo ? { memo: contact.memo } : {}) };
}

function locationRow(location: Location, phones: readonly LocationContact[]): Record<string, unknown> {
  return { id: location.id, name: location.name, active: location.active, address: formatAddress(location.address), phonesAndEmails: phones.map(phoneRow) };
}

function personRow(person: Contact, methods: readonly ContactMethod[]): Record<string, unknown> {
  return {
    id: person.id,
    name: personName(person),
    ...(person.title ? { title: person.title } : {}),
    ...(person.referenceId ? { referenceId: person.referenceId } : {}),
    ...(person.isArchived ? { isArchived: true } : {}),
    contactMethods: methods.map((method) => ({ id: method.id, type: method.type, value: method.value, ...(method.memo ? { memo: method.memo } : {}) })),
  };
}

// ---- stcrm_callOperation -------------------------------------------------------------------------

/** A GET, checked by the client's schemas first (RequestValidationError, nothing sent). */
export async function callReadOperation(client: CrmClient, input: ToolInput<'stcrm_callOperation'>, signal?: AbortSignal): Promise<ToolResult> {
  const raw = await client.callRaw(input.operation, { path: input.path, query: input.query, body: input.body } as never, { signal });
  return exchangeResult(raw, { path: input.path, query: input.query });
}

/**
 * What came back for one operation: the status and JSON, or the problem field by field. A list
 * too large for one answer is cut here, where the operation and its query are known, so the note
 * says how to read the rest without a gap (listFit.ts).
 */
export function exchangeResult(raw: RawExchange<unknown>, request?: ListRequest): ToolResult {
  const what = `${raw.method} ${raw.operationId}`;
  if (raw.status < 200 || raw.status >= 300) {
    const operation = CRM_OPERATIONS[raw.operationId as keyof typeof CRM_OPERATIONS];
    if (raw.problem) return problemResult(what, raw.status, raw.problem, operation ? operationParams(operation) : undefined);
    return {
      text: `${what}: ServiceTitan answered ${statusLine(raw.status)}: ${snippet(raw.text) || '(an empty body)'}`,
      data: { status: raw.status },
      isError: true,
    };
  }
  const lines = [`${what}: ${statusLine(raw.status)} in ${Math.round(raw.timings.totalMs)} ms.`];
  const fitted = fitList(raw.operationId, raw.json, request);
  const body = fitted ? fitted.body : raw.json;
  if (fitted) lines.push(fitted.text);
  else if (isPage(body)) {
    lines.push(`Page ${body.page} holds ${plural(body.data.length, 'item')}${typeof body.totalCount === 'number' ? ` of ${body.totalCount}` : ''}.`);
    if (body.hasMore) lines.push(`There are more: call again with query.page = ${body.page + 1}.`);
  }
  if (raw.check && !raw.check.ok) {
    const issue = raw.check.issues[0];
    lines.push(
      `Note: the answer does not match the API document's response schema (${issue ? `${issue.field || '(body)'}: ${issue.message}` : 'shape'}); it is shown as it came.`,
    );
  }
  if (body === undefined && raw.jsonError && raw.text) lines.push(`The body is not JSON (${raw.jsonError}).`);
  return { text: lines.join(' '), data: body !== undefined ? body : raw.text ? { text: raw.text } : { status: raw.status, empty: true } };
}

function isPage(value: unknown): value is { page: number; hasMore: boolean; totalCount?: number | null; data: unknown[] } {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { page?: unknown }).page === 'number' &&
    typeof (value as { hasMore?: unknown }).hasMore === 'boolean' &&
    Array.isArray((value as { data?: unknown }).data)
  );
}
