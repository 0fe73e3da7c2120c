/**
 * Typed CRM v2 operations. Every method checks its input against the operation's strict request
 * schemas first (path ids, query, body) and throws RequestValidationError without sending anything
 * when it does not fit; otherwise it hands one CrmRequest to the requester (the real transport, or
 * a recorder), which parses the answer with the operation's response schema.
 */
import type * as z from 'zod';
import { RequestValidationError, type FieldError } from './errors';
import { formatFieldPath, type OperationParams } from './fieldPath';
import { iterateItems, type IterateOptions, type Page, type PageQuery } from './paging';
import { parseInPlace } from './parseInPlace';
import type { CrmRequest, CrmRequester, QueryValue, RawExchange } from './request';
import { fieldErrors, requestErrorMap, validateRequest, type ValidationResult } from './schemas/common';
import type {
  ContactMethod,
  CreateContactMethodRequest,
  ListContactMethodsQuery,
  UpdateContactMethodRequest,
  UpsertContactMethodRequest,
} from './schemas/contactMethods';
import type {
  Contact,
  ContactRelationship,
  CreateContactRequest,
  ListContactRelationshipsQuery,
  ListContactsByRelatedEntityQuery,
  ListContactsQuery,
  RelationshipTypeSlug,
  ReplaceContactRequest,
  UpdateContactRequest,
} from './schemas/contacts';
import type {
  CreateCustomerContactRequest,
  CreateCustomerRequest,
  CreatedCustomer,
  Customer,
  CustomerContact,
  ListCustomerContactsQuery,
  ListCustomersQuery,
  UpdateCustomerContactRequest,
  UpdateCustomerRequest,
} from './schemas/customers';
import type {
  CreateLocationContactRequest,
  ListLocationContactsQuery,
  ListLocationsQuery,
  Location,
  LocationContact,
  UpdateLocationContactRequest,
} from './schemas/locations';
import { CRM_OPERATIONS, type CrmOperation, type CrmOperationId } from './schemas/operations';

/** Per-call options every method takes. */
export interface CallOptions {
  signal?: AbortSignal;
  /** Overrides the transport's timeout for this call. */
  timeoutMs?: number;
}

/** Options of the iterate and all helpers: paging (page size, total, page cap, signal) plus a per-page timeout. */
export type IterateCallOptions = IterateOptions & Pick<CallOptions, 'timeoutMs'>;

/** A list query without its paging keys; the iterate and all helpers page on their own. */
export type ListFilter<Q> = Omit<Q, keyof PageQuery>;

/** What `prepare` needs besides the operation: values for path placeholders, query and body. */
export interface OperationInput {
  path?: Record<string, unknown>;
  query?: object;
  body?: unknown;
}

type OperationTable = typeof CRM_OPERATIONS;
/** What an operation's response schema produces. */
export type OperationResult<K extends CrmOperationId> = z.output<OperationTable[K]['response']['schema']>;

type PathParamsOf<K extends CrmOperationId> = OperationTable[K]['pathParams'];
type BodySchemaOf<K extends CrmOperationId> = OperationTable[K] extends { body: { schema: infer B extends z.ZodType } } ? B : never;

/**
 * What `call` takes for operation K, typed from the generated table: values for the path
 * placeholders (required when there are any), the query, and the body (required when the
 * operation has one, absent otherwise).
 */
export type CallInput<K extends CrmOperationId> = ([keyof PathParamsOf<K>] extends [never]
  ? { path?: Record<string, never> }
  : { path: { [P in keyof PathParamsOf<K>]: z.input<PathParamsOf<K>[P]> } }) & { query?: z.input<OperationTable[K]['query']> } & ([BodySchemaOf<K>] extends [
    never,
  ]
    ? { body?: undefined }
    : { body: z.input<BodySchemaOf<K>> });

export class CrmClient {
  constructor(private readonly requester: CrmRequester) {}

  // ---- any operation -----------------------------------------------------------------------------

  /**
   * Any of the 86 CRM v2 operations by its operationId. The input is checked against the
   * document's schemas first (RequestValidationError, nothing sent); the answer is parsed with the
   * operation's response schema, and errors throw as for every other method.
   */
  call<K extends CrmOperationId>(operationId: K, input: CallInput<K>, options?: CallOptions): Promise<OperationResult<K>> {
    return this.run(operationId, input, options);
  }

  /**
   * Like `call`, but answers with what came back (status, headers, body text, parsed body or the
   * schema's complaint, timings) instead of throwing for an error status or a body of the wrong
   * shape. Bad input still rejects with RequestValidationError; a call that got no answer rejects.
   */
  async callRaw<K extends CrmOperationId>(operationId: K, input: CallInput<K>, options?: CallOptions): Promise<RawExchange<OperationResult<K>>> {
    const request = this.prepare(operationId, input, options);
    if (!this.requester.sendRaw) throw new Error('This connection cannot send raw requests.');
    return this.requester.sendRaw(request);
  }

  /**
   * Sends the operation with `input` as written, unchecked by its request schemas (a test suite's
   * `"check": false`, to see what the server does with a bad payload), and answers like callRaw.
   * Only what no URL can carry is refused (RequestValidationError, nothing sent): every path value
   * still goes through `pathSegment`, and query values must be texts, numbers, booleans or lists.
   */
  async callUnchecked(operationId: CrmOperationId, input: OperationInput, options?: CallOptions): Promise<RawExchange<unknown>> {
    const request = buildUncheckedRequest(CRM_OPERATIONS[operationId], input, options);
    if (!this.requester.sendRaw) throw new Error('This connection cannot send raw requests.');
    return this.requester.sendRaw(request);
  }

  // ---- customers ---------------------------------------------------------------------------------

  listCustomers(query: ListCustomersQuery = {}, options?: CallOptions): Promise<Page<Customer>> {
    return this.run('Customers_GetList', { query }, options);
  }

  iterateCustomers(filter: ListFilter<ListCustomersQuery> = {}, options: IterateCallOptions = {}): AsyncGenerator<Customer> {
    return iterateItems((page, signal) => this.listCustomers({ ...filter, ...page }, { signal, timeoutMs: options.timeoutMs }), options);
  }

  allCustomers(filter: ListFilter<ListCustomersQuery> = {}, options: IterateCallOptions = {}): Promise<Customer[]> {
    return collect(this.iterateCustomers(filter, options));
  }

  getCustomer(id: number, options?: CallOptions): Promise<Customer> {
    return this.run('Customers_Get', { path: { id } }, options);
  }

  createCustomer(body: CreateCustomerRequest, options?: CallOptions): Promise<CreatedCustomer> {
    return this.run('Customers_Create', { body }, options);
  }

  updateCustomer(id: number, body: UpdateCustomerRequest, options?: CallOptions): Promise<Customer> {
    return this.run('Customers_Update', { path: { id }, body }, options);
  }

  // ---- customer contacts (phone numbers, e-mail addresses of a customer) -------------------------

  listCustomerContacts(customerId: number, query: ListCustomerContactsQuery = {}, options?: CallOptions): Promise<Page<CustomerContact>> {
    return this.run('Customers_GetContactList', { path: { id: customerId }, query }, options);
  }

  iterateCustomerContacts(customerId: number, options: IterateCallOptions = {}): AsyncGenerator<CustomerContact> {
    return iterateItems((page, signal) => this.listCustomerContacts(customerId, page, { signal, timeoutMs: options.timeoutMs }), options);
  }

  allCustomerContacts(customerId: number, options: IterateCallOptions = {}): Promise<CustomerContact[]> {
    return collect(this.iterateCustomerContacts(customerId, options));
  }

  createCustomerContact(customerId: number, body: CreateCustomerContactRequest, options?: CallOptions): Promise<CustomerContact> {
    return this.run('Customers_CreateContact', { path: { id: customerId }, body }, options);
  }

  updateCustomerContact(customerId: number, contactId: number, body: UpdateCustomerContactRequest, options?: CallOptions): Promise<CustomerContact> {
    return this.run('Customers_UpdateContact', { path: { id: customerId, contactId }, body }, options);
  }

  async deleteCustomerContact(customerId: number, contactId: number, options?: CallOptions): Promise<void> {
    await this.run('Customers_DeleteContact', { path: { id: customerId, contactId } }, options);
  }

  // ---- contacts (people) -------------------------------------------------------------------------

  listContacts(query: ListContactsQuery = {}, options?: CallOptions): Promise<Page<Contact>> {
    return this.run('Contacts_GetList', { query }, options);
  }

  iterateContacts(filter: ListFilter<ListContactsQuery> = {}, options: IterateCallOptions = {}): AsyncGenerator<Contact> {
    return iterateItems((page, signal) => this.listContacts({ ...filter, ...page }, { signal, timeoutMs: options.timeoutMs }), options);
  }

  allContacts(filter: ListFilter<ListContactsQuery> = {}, options: IterateCallOptions = {}): Promise<Contact[]> {
    return collect(this.iterateContacts(filter, options));
  }

  getContact(id: string, options?: CallOptions): Promise<Contact> {
    return this.run('Contacts_Get', { path: { id } }, options);
  }

  createContact(body: CreateContactRequest, options?: CallOptions): Promise<Contact> {
    return this.run('Contacts_Create', { body }, options);
  }

  /** PATCH: fields left out keep their value, but the spec requires `isArchived` every time. */
  updateContact(id: string, body: UpdateContactRequest, options?: CallOptions): Promise<Contact> {
    return this.run('Contacts_Update', { path: { id }, body }, options);
  }

  /** PUT: fields left out are cleared. */
  replaceContact(id: string, body: ReplaceContactRequest, options?: CallOptions): Promise<Contact> {
    return this.run('Contacts_Replace', { path: { id }, body }, options);
  }

  /** ServiceTitan answers 409 while the contact still has relationships; delete those first. */
  async deleteContact(id: string, options?: CallOptions): Promise<void> {
    await this.run('Contacts_DeleteContact', { path: { id } }, options);
  }

  // ---- contact relationships ---------------------------------------------------------------------

  listContactRelationships(contactId: string, query: ListContactRelationshipsQuery = {}, options?: CallOptions): Promise<Page<ContactRelationship>> {
    return this.run('Contacts_GetContactRelationshipList', { path: { contactId }, query }, options);
  }

  iterateContactRelationships(
    contactId: string,
    filter: ListFilter<ListContactRelationshipsQuery> = {},
    options: IterateCallOptions = {},
  ): AsyncGenerator<ContactRelationship> {
    return iterateItems((page, signal) => this.listContactRelationships(contactId, { ...filter, ...page }, { signal, timeoutMs: options.timeoutMs }), options);
  }

  allContactRelationships(
    contactId: string,
    filter: ListFilter<ListContactRelationshipsQuery> = {},
    options: IterateCallOptions = {},
  ): Promise<ContactRelationship[]> {
    return collect(this.iterateContactRelationships(contactId, filter, options));
  }

  async createContactRelationship(contactId: string, relatedEntityId: number, typeSlug: RelationshipTypeSlug, options?: CallOptions): Promise<void> {
    await this.run('Contacts_CreateContactRelationship', { path: { contactId, relatedEntityId, typeSlug } }, options);
  }

  async deleteContactRelationship(contactId: string, relatedEntityId: number, typeSlug: RelationshipTypeSlug, options?: CallOptions): Promise<void> {
    await this.run('Contacts_DeleteContactRelationship', { path: { contactId, relatedEntityId, typeSlug } }, options);
  }

  /** Contacts related to a customer or location (`GET /contacts/relationships/{relationshipId}`, which takes the entity's id). */
  listContactsByRelatedEntity(relatedEntityId: number, query: ListContactsByRelatedEntityQuery = {}, options?: CallOptions): Promise<Page<Contact>> {
    return this.run('Contacts_GetByRelationshipId', { path: { relationshipId: relatedEntityId }, query }, options);
  }

  iterateContactsByRelatedEntity(
    relatedEntityId: number,
    filter: ListFilter<ListContactsByRelatedEntityQuery> = {},
    options: IterateCallOptions = {},
  ): AsyncGenerator<Contact> {
    return iterateItems(
      (page, signal) => this.listContactsByRelatedEntity(relatedEntityId, { ...filter, ...page }, { signal, timeoutMs: options.timeoutMs }),
      options,
    );
  }

  allContactsByRelatedEntity(
    relatedEntityId: number,
    filter: ListFilter<ListContactsByRelatedEntityQuery> = {},
    options: IterateCallOptions = {},
  ): Promise<Contact[]> {
    return collect(this.iterateContactsByRelatedEntity(relatedEntityId, filter, options));
  }

  // ---- contact methods ---------------------------------------------------------------------------

  listContactMethods(contactId: string, query: ListContactMethodsQuery = {}, options?: CallOptions): Promise<Page<ContactMethod>> {
    return this.run('ContactMethods_GetContactMethods', { path: { contactId }, query }, options);
  }

  iterateContactMethods(contactId: string, filter: ListFilter<ListContactMethodsQuery> = {}, options: IterateCallOptions = {}): AsyncGenerator<ContactMethod> {
    return iterateItems((page, signal) => this.listContactMethods(contactId, { ...filter, ...page }, { signal, timeoutMs: options.timeoutMs }), options);
  }

  allContactMethods(contactId: string, filter: ListFilter<ListContactMethodsQuery> = {}, options: IterateCallOptions = {}): Promise<ContactMethod[]> {
    return collect(this.iterateContactMethods(contactId, filter, options));
  }

  getContactMethod(contactId: string, contactMethodId: string, options?: CallOptions): Promise<ContactMethod> {
    return this.run('ContactMethods_GetContactMethod', { path: { contactId, contactMethodId } }, options);
  }

  createContactMethod(contactId: string, body: CreateContactMethodRequest, options?: CallOptions): Promise<ContactMethod> {
    return this.run('ContactMethods_CreateContactMethod', { path: { contactId }, body }, options);
  }

  /** PUT: replaces the method, or creates it under `contactMethodId` when there is none. */
  upsertContactMethod(contactId: string, contactMethodId: string, body: UpsertContactMethodRequest, options?: CallOptions): Promise<ContactMethod> {
    return this.run('ContactMethods_UpsertContactMethod', { path: { contactId, contactMethodId }, body }, options);
  }

  /** PATCH: value and memo only; the type of a contact method cannot change. */
  updateContactMethod(contactId: string, contactMethodId: string, body: UpdateContactMethodRequest, options?: CallOptions): Promise<ContactMethod> {
    return this.run('ContactMethods_UpdateContactMethod', { path: { contactId, contactMethodId }, body }, options);
  }

  async deleteContactMethod(contactId: string, contactMethodId: string, options?: CallOptions): Promise<void> {
    await this.run('ContactMethods_DeleteContactMethod', { path: { contactId, contactMethodId } }, options);
  }

  // ---- locations ---------------------------------------------------------------------------------

  listLocations(query: ListLocationsQuery = {}, options?: CallOptions): Promise<Page<Location>> {
    return this.run('Locations_GetList', { query }, options);
  }

  iterateLocations(filter: ListFilter<ListLocationsQuery> = {}, options: IterateCallOptions = {}): AsyncGenerator<Location> {
    return iterateItems((page, signal) => this.listLocations({ ...filter, ...page }, { signal, timeoutMs: options.timeoutMs }), options);
  }

  allLocations(filter: ListFilter<ListLocationsQuery> = {}, options: IterateCallOptions = {}): Promise<Location[]> {
    return collect(this.iterateLocations(filter, options));
  }

  getLocation(id: number, options?: CallOptions): Promise<Location> {
    return this.run('Locations_Get', { path: { id } }, options);
  }

  // ---- location contacts -------------------------------------------------------------------------

  listLocationContacts(locationId: number, query: ListLocationContactsQuery = {}, options?: CallOptions): Promise<Page<LocationContact>> {
    return this.run('Locations_GetContactList', { path: { id: locationId }, query }, options);
  }

  iterateLocationContacts(locationId: number, options: IterateCallOptions = {}): AsyncGenerator<LocationContact> {
    return iterateItems((page, signal) => this.listLocationContacts(locationId, page, { signal, timeoutMs: options.timeoutMs }), options);
  }

  allLocationContacts(locationId: number, options: IterateCallOptions = {}): Promise<LocationContact[]> {
    return collect(this.iterateLocationContacts(locationId, options));
  }

  createLocationContact(locationId: number, body: CreateLocationContactRequest, options?: CallOptions): Promise<LocationContact> {
    return this.run('Locations_CreateContact', { path: { id: locationId }, body }, options);
  }

  updateLocationContact(locationId: number, contactId: number, body: UpdateLocationContactRequest, options?: CallOptions): Promise<LocationContact> {
    return this.run('Locations_UpdateContact', { path: { id: locationId, contactId }, body }, options);
  }

  async deleteLocationContact(locationId: number, contactId: number, options?: CallOptions): Promise<void> {
    await this.run('Locations_DeleteContact', { path: { id: locationId, contactId } }, options);
  }

  // ---- plumbing ----------------------------------------------------------------------------------

  /**
   * The validated CrmRequest an operation would send, without sending it (for previews such as a
   * cURL command). Throws RequestValidationError naming every field that does not fit.
   */
  prepare<K extends CrmOperationId>(operationId: K, input: OperationInput = {}, options: CallOptions = {}): CrmRequest<OperationResult<K>> {
    return buildRequest(CRM_OPERATIONS[operationId], input, options) as CrmRequest<OperationResult<K>>;
  }

  /**
   * `prepare` for a confirmation that lists calls before an earlier one has made the ids they
   * need: the path parameters named in `pending` stay `{name}` and are not checked; everything
   * else is checked and encoded exactly as it will be sent.
   */
  preview(operationId: CrmOperationId, input: OperationInput, pending: ReadonlySet<string>): CrmRequest<unknown> {
    return buildRequest(CRM_OPERATIONS[operationId], input, {}, pending);
  }

  /** `preview` for `callUnchecked`: the request as it will be sent, URL-safe but otherwise unchecked. */
  previewUnchecked(operationId: CrmOperationId, input: OperationInput, pending: ReadonlySet<string>): CrmRequest<unknown> {
    return buildUncheckedRequest(CRM_OPERATIONS[operationId], input, {}, pending);
  }

  // Async so that a RequestValidationError arrives as a rejection, like every other failure.
  private async run<K extends CrmOperationId>(operationId: K, input: OperationInput, options?: CallOptions): Promise<OperationResult<K>> {
    return this.requester.send(this.prepare(operationId, input, options));
  }
}

/** Validates path values, query and body of one operation and builds its request. */
export function buildRequest(op: CrmOperation, input: OperationInput, options: CallOptions = {}, pendingPath?: ReadonlySet<string>): CrmRequest<unknown> {
  const issues: FieldError[] = [];

  let path = op.path;
  for (const [name, schema] of Object.entries(op.pathParams)) {
    if (pendingPath?.has(name)) continue;
    const checked = validateRequest(schema, input.path?.[name]);
    if (!checked.ok) {
      issues.push(...checked.issues.map((issue) => atLocation(issue, 'path', [name, ...issue.path])));
      continue;
    }
    path = placePathValue(path, name, String(checked.value), issues);
  }

  const params = operationParams(op);
  let query: Record<string, QueryValue> | undefined;
  if (params.query?.length === 0 && input.query !== undefined && Object.keys(input.query).length > 0) {
    issues.push({ field: '', message: `${op.operationId} takes no query parameters.`, location: 'query', path: [] });
  } else {
    const checked = validateQuery(op.query, input.query ?? {});
    // The query schemas only admit strings, numbers, booleans and lists of ids or strings.
    if (!checked.ok) issues.push(...checked.issues.map((issue) => atLocation(issue, 'query', issue.path)));
    else if (Object.keys(checked.value).length > 0) query = checked.value as Record<string, QueryValue>;
    // Half a character cannot be URL-encoded (a bare URIError later): refused on its parameter.
    for (const [name, value] of Object.entries(query ?? {})) {
      const texts = Array.isArray(value) ? value : [value];
      const half = texts.map((text) => (typeof text === 'string' ? halfCharacterProblem(text) : undefined)).find((problem) => problem !== undefined);
      if (half !== undefined) issues.push({ field: formatFieldPath([name]), message: half, location: 'query', path: [name] });
    }
  }

  let body: unknown;
  if (op.body && (input.body === undefined || input.body === null)) {
    issues.push({ field: '', message: `${op.operationId} needs a request body (a JSON object).`, location: 'body', path: [] });
  } else if (op.body) {
    const checked = validateRequest(op.body.schema, input.body);
    if (checked.ok) body = checked.value;
    else issues.push(...checked.issues);
  } else if (input.body !== undefined) {
    issues.push({ field: '', message: `${op.operationId} takes no request body.`, location: 'body', path: [] });
  }

  return requestOf(op, issues, { path, query, body }, options);
}

/** The request of `op` made of these parts, or a RequestValidationError naming every issue (nothing is sent). */
function requestOf(
  op: CrmOperation,
  issues: FieldError[],
  parts: { path: string; query?: Record<string, QueryValue>; body: unknown },
  options: CallOptions,
): CrmRequest<unknown> {
  if (issues.length > 0) {
    const listed = issues.map((issue) => `${issue.field || '(body)'}: ${issue.message}`).join('; ');
    throw new RequestValidationError(`${op.operationId} was not sent. ${listed}`, issues, op.operationId);
  }
  return {
    operationId: op.operationId,
    method: op.method,
    ...parts,
    response: op.response.schema,
    scope: op.scope,
    params: operationParams(op),
    signal: options.signal,
    timeoutMs: options.timeoutMs,
  };
}

/** `path` with `{name}` replaced by `value` as one URL segment, or unchanged with the reason in `issues`. */
function placePathValue(path: string, name: string, value: string, issues: FieldError[]): string {
  const segment = pathSegment(value);
  if (segment.ok) return path.replace(`{${name}}`, () => segment.segment);
  issues.push({ field: formatFieldPath([name]), message: segment.message, location: 'path', path: [name] });
  return path;
}

/**
 * The request of `callUnchecked`: the body as given (any JSON, even for an operation that takes
 * none), the query as given, path values as one URL segment each. Refuses only what cannot be put
 * on the wire as one URL: a missing or non-scalar path value, a value `pathSegment` refuses, a query
 * value that is an object, half a character in the query.
 */
export function buildUncheckedRequest(
  op: CrmOperation,
  input: OperationInput,
  options: CallOptions = {},
  pendingPath?: ReadonlySet<string>,
): CrmRequest<unknown> {
  const issues: FieldError[] = [];
  let path = op.path;
  for (const name of Object.keys(op.pathParams)) {
    if (pendingPath?.has(name)) continue;
    const value: unknown = input.path?.[name];
    if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
      issues.push({
        field: formatFieldPath([name]),
        message: `Give ${name} a text or number: even an unchecked call needs every path value to build its URL.`,
        location: 'path',
        path: [name],
      });
      continue;
    }
    path = placePathValue(path, name, String(value), issues);
  }
  let query: Record<string, QueryValue> | undefined;
  for (const [name, value] of Object.entries(input.query ?? {}) as [string, unknown][]) {
    const texts = Array.isArray(value) ? (value as unknown[]) : [value];
    const scalar = texts.every(
      (item) =>
        item === null || item === undefined || typeof item === 'string' || typeof item === 'number' || (!Array.isArray(value) && typeof item === 'boolean'),
    );
    const half = texts.map((item) => (typeof item === 'string' ? halfCharacterProblem(item) : undefined)).find((problem) => problem !== undefined);
    if (!scalar || half !== undefined) {
      const message = half ?? `${name} cannot go in a URL: a query value is a text, a number, a boolean or a list of texts and numbers.`;
      issues.push({ field: formatFieldPath([name]), message, location: 'query', path: [name] });
      continue;
    }
    // Defined, not assigned: a `__proto__` name stays a name.
    query ??= {};
    Object.defineProperty(query, name, { value, enumerable: true, writable: true, configurable: true });
  }
  return requestOf(op, issues, { path, query, body: input.body }, options);
}

/**
 * A path parameter's value as one segment of the URL, or why it cannot be one. Encoding keeps
 * `/`, `\`, `?`, `#` and `%` inside the segment, but a value that is a dot segment (`.`, `..`)
 * would still be folded away by every URL parser, sending the call to another route (WHATWG URLs
 * read `%2e` as a dot too, so encoding cannot save it); an empty one vanishes from the path; a
 * lone surrogate cannot be encoded at all (encodeURIComponent throws a bare URIError).
 */
export function pathSegment(value: string): { ok: true; segment: string } | { ok: false; message: string } {
  if (value === '') return { ok: false, message: 'Enter a value: an empty path segment would vanish from the URL.' };
  if (value === '.' || value === '..') {
    return {
      ok: false,
      message: `"${value}" cannot be a path value: a URL reads it as ${value === '.' ? 'the current folder' : 'the folder above'}, so the call would go to another address.`,
    };
  }
  const half = halfCharacterProblem(value);
  if (half !== undefined) return { ok: false, message: half };
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) return { ok: false, message: `A control character (${codePoint(value, i)}) cannot be a path value.` };
  }
  return { ok: true, segment: encodeURIComponent(value) };
}

/** Why `text` cannot be sent when it holds a lone UTF-16 surrogate (half a character: no encoder can write it); undefined when it can. */
export function halfCharacterProblem(text: string): string | undefined {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0xd800 || code > 0xdfff) continue;
    const next = text.charCodeAt(i + 1);
    if (code <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) i++;
    else return `Half of a character (a lone UTF-16 surrogate, ${codePoint(text, i)}) cannot be sent: remove it or complete the character.`;
  }
  return undefined;
}

/** `U+000A`: how a message names the character at `index`. */
function codePoint(text: string, index: number): string {
  return `U+${text.charCodeAt(index).toString(16).toUpperCase().padStart(4, '0')}`;
}

/**
 * validateRequest for an operation's query, checked in place (parseInPlace) on a copy: every query
 * value is a string, number, boolean or a list of them, so copying the object and its lists makes
 * the copy wholly ours, and the caller's object is never written to.
 */
export function validateQuery<T extends z.ZodType>(schema: T, query: object): ValidationResult<z.output<T>> {
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(query)) {
    const value = (query as Record<string, unknown>)[key];
    // Defined, not assigned: a `__proto__` key (from JSON.parse) stays a key the schema refuses.
    Object.defineProperty(copy, key, { value: Array.isArray(value) ? [...(value as unknown[])] : value, enumerable: true, writable: true, configurable: true });
  }
  const result = parseInPlace(schema, copy, { error: requestErrorMap });
  return result.success ? { ok: true, value: result.data } : { ok: false, issues: fieldErrors(result.error) };
}

const paramsOf = new WeakMap<CrmOperation, OperationParams>();

/** The names of an operation's path and query parameters (worked out once per operation: every call sends them). */
export function operationParams(op: CrmOperation): OperationParams {
  let params = paramsOf.get(op);
  if (!params) {
    params = Object.freeze({ path: Object.freeze(Object.keys(op.pathParams)), query: Object.freeze(Object.keys(op.query.shape)) });
    paramsOf.set(op, params);
  }
  return params;
}

/** A schema issue moved to where it belongs in the request: `id` of the path, `page` of the query. */
function atLocation(issue: FieldError, location: FieldError['location'], path: FieldError['path']): FieldError {
  return { field: formatFieldPath(path), message: issue.message, location, path };
}

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}
