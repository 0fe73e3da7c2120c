/**
 * After a create whose outcome is unknown (`outcomeUnknown` on NetworkError/TimeoutError), finds
 * the records it may have made, so a UI can show them instead of sending the create again.
 * Matching is deliberately lenient (trimmed, case-insensitive text; phones by digits): a false
 * candidate costs a look, a missed one costs a duplicate.
 */
import type * as z from 'zod';
import type { CrmClient, OperationInput } from './client';
import { RequestValidationError } from './errors';
import type { ContactMethod } from './schemas/contactMethods';
import { validateRequest, type ContactType } from './schemas/common';
import type { Contact, ContactRelationship } from './schemas/contacts';
import type { CustomerContact } from './schemas/customers';
import type { LocationContact } from './schemas/locations';
import { CRM_OPERATIONS, type CrmOperation, type CrmOperationId } from './schemas/operations';

export interface RecoveryCandidate<T> {
  record: T;
  /** why it matches, for the UI */
  reason: string;
}

export interface RecoveryOptions {
  /** When the create was sent (this machine's clock). */
  since: Date;
  signal?: AbortSignal;
  /** How far this machine's clock may be ahead of the server's. Default CLOCK_SKEW_MS. */
  clockSkewMs?: number;
  /** Per-page timeout of the list calls. */
  timeoutMs?: number;
}

/** What each supported create makes. */
export interface RecoverableRecords {
  Contacts_Create: Contact;
  ContactMethods_CreateContactMethod: ContactMethod;
  Customers_CreateContact: CustomerContact;
  Locations_CreateContact: LocationContact;
  Contacts_CreateContactRelationship: ContactRelationship;
}
export type RecoverableOperationId = keyof RecoverableRecords;

/** The creates whose lost answers can be looked for (`findPossiblyCreated`). */
const RECOVERABLE: ReadonlySet<string> = new Set<RecoverableOperationId>([
  'Contacts_Create',
  'ContactMethods_CreateContactMethod',
  'Customers_CreateContact',
  'Locations_CreateContact',
  'Contacts_CreateContactRelationship',
]);

export function isRecoverable(operationId: string): operationId is RecoverableOperationId {
  return RECOVERABLE.has(operationId);
}

export const CLOCK_SKEW_MS = 2 * 60_000;
const PAGE_SIZE = 500;

export class RecoveryNotSupportedError extends Error {
  constructor(readonly operationId: string) {
    super(`Looking for records that ${operationId} may have created is not supported; check in ServiceTitan by hand before you send it again.`);
    this.name = 'RecoveryNotSupportedError';
  }
}

/** Records that a create with this input may have made, newest first; [] when none. `since` = when the create was sent. */
export function findPossiblyCreated<K extends RecoverableOperationId>(
  client: CrmClient,
  operationId: K,
  input: OperationInput,
  options: RecoveryOptions,
): Promise<RecoveryCandidate<RecoverableRecords[K]>[]>;
export function findPossiblyCreated(
  client: CrmClient,
  operationId: CrmOperationId,
  input: OperationInput,
  options: RecoveryOptions,
): Promise<RecoveryCandidate<unknown>[]>;
export async function findPossiblyCreated(
  client: CrmClient,
  operationId: CrmOperationId,
  input: OperationInput,
  options: RecoveryOptions,
): Promise<RecoveryCandidate<unknown>[]> {
  const sinceMs = options.since.getTime() - (options.clockSkewMs ?? CLOCK_SKEW_MS);
  const paging = { pageSize: PAGE_SIZE, signal: options.signal, timeoutMs: options.timeoutMs };
  switch (operationId) {
    case 'Contacts_Create':
      return findContacts(client, input, sinceMs, paging);
    case 'ContactMethods_CreateContactMethod':
      return findContactMethods(client, input, sinceMs, paging);
    case 'Customers_CreateContact':
    case 'Locations_CreateContact':
      return findPhoneContacts(client, operationId, input, sinceMs, paging);
    case 'Contacts_CreateContactRelationship':
      return findRelationship(client, input, paging);
    default:
      throw new RecoveryNotSupportedError(operationId);
  }
}

interface Paging {
  pageSize: number;
  signal?: AbortSignal;
  timeoutMs?: number;
}

async function findContacts(client: CrmClient, input: OperationInput, sinceMs: number, paging: Paging): Promise<RecoveryCandidate<Contact>[]> {
  const op = CRM_OPERATIONS.Contacts_Create;
  const body = parseBody(op, op.body.schema, input);
  const referenceId = present(body.referenceId);
  // Name and title are compared here, not filtered on the server, whose text filters may not be exact.
  const filter = { createdOnOrAfter: new Date(sinceMs).toISOString(), ...(referenceId ? { referenceId } : {}) };
  const out: RecoveryCandidate<Contact>[] = [];
  for await (const contact of client.iterateContacts(filter, paging)) {
    if (!createdSince(contact.createdOn, sinceMs)) continue;
    const when = createdNote(contact.createdOn);
    if (referenceId) {
      if (contact.referenceId === referenceId) out.push({ record: contact, reason: `same reference ID "${referenceId}", ${when}` });
      continue;
    }
    if (sameText(contact.name, body.name) && sameText(contact.title, body.title) && present(contact.referenceId) === undefined) {
      out.push({ record: contact, reason: `same ${describeNameTitle(body.name, body.title)} and no reference ID, ${when}` });
    }
  }
  return newestFirst(out);
}

async function findContactMethods(client: CrmClient, input: OperationInput, sinceMs: number, paging: Paging): Promise<RecoveryCandidate<ContactMethod>[]> {
  const op = CRM_OPERATIONS.ContactMethods_CreateContactMethod;
  const contactId = parsePath(op, 'contactId', op.pathParams.contactId, input);
  const body = parseBody(op, op.body.schema, input);
  const referenceId = present(body.referenceId);
  // No `value` filter: the server's comparison of phone numbers is not documented.
  const filter = { type: body.type, createdOnOrAfter: new Date(sinceMs).toISOString(), ...(referenceId ? { referenceId } : {}) };
  const out: RecoveryCandidate<ContactMethod>[] = [];
  for await (const method of client.iterateContactMethods(contactId, filter, paging)) {
    if (method.contactId !== contactId || method.type !== body.type || !createdSince(method.createdOn, sinceMs)) continue;
    if (!sameContactValue(body.type, method.value, body.value) || !sameText(method.memo, body.memo) || present(method.referenceId) !== referenceId) continue;
    out.push({
      record: method,
      reason: `same ${describeTyped(body.type, body.value, body.memo)}${referenceId ? ` and reference ID "${referenceId}"` : ''} on this contact, ${createdNote(method.createdOn)}`,
    });
  }
  return newestFirst(out);
}

async function findPhoneContacts(
  client: CrmClient,
  operationId: 'Customers_CreateContact' | 'Locations_CreateContact',
  input: OperationInput,
  sinceMs: number,
  paging: Paging,
): Promise<RecoveryCandidate<CustomerContact | LocationContact>[]> {
  const op = CRM_OPERATIONS[operationId];
  const parentId = parsePath(op, 'id', op.pathParams.id, input);
  const body = parseBody(op, op.body.schema, input);
  const parent = operationId === 'Customers_CreateContact' ? 'customer' : 'location';
  // These lists have no date filter: walk all of them and compare createdOn here.
  const items = operationId === 'Customers_CreateContact' ? client.iterateCustomerContacts(parentId, paging) : client.iterateLocationContacts(parentId, paging);
  const out: RecoveryCandidate<CustomerContact | LocationContact>[] = [];
  for await (const contact of items) {
    if (contact.type !== body.type || !createdSince(contact.createdOn, sinceMs)) continue;
    if (!sameContactValue(body.type, contact.value, body.value) || !sameText(contact.memo, body.memo)) continue;
    out.push({
      record: contact,
      reason: `same ${describeTyped(body.type, body.value, body.memo)} on ${parent} ${parentId}, ${createdNote(contact.createdOn)}`,
    });
  }
  return newestFirst(out);
}

async function findRelationship(client: CrmClient, input: OperationInput, paging: Paging): Promise<RecoveryCandidate<ContactRelationship>[]> {
  const op = CRM_OPERATIONS.Contacts_CreateContactRelationship;
  const contactId = parsePath(op, 'contactId', op.pathParams.contactId, input);
  const relatedEntityId = parsePath(op, 'relatedEntityId', op.pathParams.relatedEntityId, input);
  const typeSlug = parsePath(op, 'typeSlug', op.pathParams.typeSlug, input);
  // A relationship is unique per contact, entity and type, so existing at all is the answer (no date check).
  const out: RecoveryCandidate<ContactRelationship>[] = [];
  for await (const relationship of client.iterateContactRelationships(contactId, { relatedEntityId, typeSlug }, paging)) {
    if (relationship.relatedEntityId !== relatedEntityId || relationship.typeSlug.toLowerCase() !== typeSlug) continue;
    out.push({ record: relationship, reason: `the contact is related to ${typeSlug} ${relatedEntityId}, ${createdNote(relationship.createdOn)}` });
  }
  return newestFirst(out);
}

// ---- input -------------------------------------------------------------------------------------

function parseBody<S extends z.ZodType>(op: CrmOperation, schema: S, input: OperationInput): z.output<S> {
  return checked(op, schema, input.body, '');
}

function parsePath<S extends z.ZodType>(op: CrmOperation, name: string, schema: S, input: OperationInput): z.output<S> {
  return checked(op, schema, input.path?.[name], name);
}

function checked<S extends z.ZodType>(op: CrmOperation, schema: S, value: unknown, prefix: string): z.output<S> {
  const result = validateRequest(schema, value);
  if (result.ok) return result.value;
  const issues = result.issues.map((issue) => ({ ...issue, field: [prefix, issue.field].filter(Boolean).join('.') }));
  const listed = issues.map((issue) => `${issue.field || '(body)'}: ${issue.message}`).join('; ');
  throw new RequestValidationError(`Cannot look for what ${op.operationId} may have created: ${listed}`, issues, op.operationId);
}

// ---- matching ----------------------------------------------------------------------------------

/** A non-empty trimmed string, or undefined for missing, null and blank. */
function present(value: string | null | undefined): string | undefined {
  const text = value?.trim();
  return text ? text : undefined;
}

function normalText(value: string | null | undefined): string {
  return (present(value) ?? '').replace(/\s+/g, ' ').toLowerCase();
}

function sameText(a: string | null | undefined, b: string | null | undefined): boolean {
  return normalText(a) === normalText(b);
}

/** Phone-like values by digits (a leading US/Canada 1 ignored), e-mail addresses case-insensitively. */
export function sameContactValue(type: ContactType, a: string, b: string): boolean {
  if (type === 'Email') return a.trim().toLowerCase() === b.trim().toLowerCase();
  const digits = (value: string): string => {
    const d = value.replace(/\D/g, '');
    return d.length === 11 && d.startsWith('1') ? d.slice(1) : d;
  };
  const x = digits(a);
  return x.length > 0 && x === digits(b);
}

/** Milliseconds since the epoch; .NET sometimes leaves out the offset (UTC) and writes 7 fractional digits. */
function parseApiDate(text: string): number | undefined {
  const trimmed = text.trim().replace(/(\.\d{3})\d+/, '$1');
  const withZone = /(Z|[+-]\d{2}:?\d{2})$/i.test(trimmed) ? trimmed : `${trimmed}Z`;
  const ms = Date.parse(withZone);
  return Number.isNaN(ms) ? undefined : ms;
}

/** An unreadable date never hides a candidate. */
function createdSince(createdOn: string, sinceMs: number): boolean {
  const ms = parseApiDate(createdOn);
  return ms === undefined || ms >= sinceMs;
}

function createdNote(createdOn: string): string {
  const ms = parseApiDate(createdOn);
  return `created ${ms === undefined ? createdOn : new Date(ms).toISOString()}`;
}

function describeNameTitle(name: string | null | undefined, title: string | null | undefined): string {
  const parts = [present(name) ? `name "${present(name) ?? ''}"` : 'no name', present(title) ? `title "${present(title) ?? ''}"` : 'no title'];
  return parts.join(', ');
}

function describeTyped(type: ContactType, value: string, memo: string | null | undefined): string {
  const how = type === 'Email' ? '' : ' (compared by digits)';
  return `${type} ${value.trim()}${how}${present(memo) ? `, memo "${present(memo) ?? ''}"` : ', no memo'}`;
}

/** Newest createdOn first; ties by id, highest first. */
function newestFirst<T extends { record: { createdOn: string; id: string | number } }>(items: T[]): T[] {
  return items.sort((a, b) => {
    const byDate = (parseApiDate(b.record.createdOn) ?? 0) - (parseApiDate(a.record.createdOn) ?? 0);
    if (byDate !== 0) return byDate;
    const x = a.record.id,
      y = b.record.id;
    if (typeof x === 'number' && typeof y === 'number') return y - x;
    return String(y).localeCompare(String(x));
  });
}
