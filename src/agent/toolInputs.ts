/**
 * What each agent tool takes (zod, checked by the tool itself: VS Code does not check input against
 * `inputSchema`, and the MCP server answers with the same field errors) and how it describes itself
 * to a model. package.json `contributes.languageModelTools` declares the same descriptions and the
 * JSON Schema of these inputs (jsonSchemas.ts); test/node/agent/declarations.test.ts compares them.
 * No vscode import.
 */
import * as z from 'zod';
import type { FieldError } from '../api/errors';
import { CONTACT_TYPES } from '../api/schemas/primitives';
import { CRM_OPERATIONS, type CrmOperationId } from '../api/schemas/operations';
import { validateRequest } from '../api/schemas/common';
import type { AgentToolName } from './toolNames';

const OPERATION_IDS = Object.keys(CRM_OPERATIONS) as [CrmOperationId, ...CrmOperationId[]];

/** Page sizes the tools ask for: a model reads every row it gets. */
export const MAX_TOOL_PAGE_SIZE = 50;

const text = (max: number, description: string) => z.string().max(max).describe(description);

export const findCustomersInput = z.strictObject({
  name: text(
    200,
    'Text the customer name contains, ignoring case, as one piece: "Smith" or "Acme Plumb" (words in another order do not match: "Moore Sandra" does not find Sandra Moore).',
  ).optional(),
  phone: text(40, 'A phone number in any format, e.g. "(555) 010-0199": only its digits are sent.').optional(),
  email: text(320, "An e-mail address of one of the customer's people, matched exactly.").optional(),
  street: text(200, 'Street of the customer address.').optional(),
  city: text(100, 'City of the customer address.').optional(),
  state: text(50, 'State of the customer address, e.g. "CA".').optional(),
  zip: text(20, 'ZIP code of the customer address.').optional(),
  includeInactive: z.boolean().describe('Also list inactive customers (left out by default).').optional(),
  page: z.int().min(1).max(10_000).describe('Page to return, from 1.').optional(),
  pageSize: z.int().min(1).max(MAX_TOOL_PAGE_SIZE).describe(`Rows per page, 1 to ${MAX_TOOL_PAGE_SIZE} (default 10).`).optional(),
});

export const getCustomerInput = z.strictObject({
  customerId: z.int().min(1).describe('The customer id (a number), as stcrm_findCustomers returns it.'),
});

const queryValue = z.union([z.string(), z.number(), z.boolean(), z.array(z.union([z.string(), z.number()]))]);

export const callOperationInput = z.strictObject({
  operation: z.enum(OPERATION_IDS).describe('The operationId, e.g. "Customers_GetList", "Locations_Get", "Customers_CreateNote".'),
  path: z
    .record(z.string(), z.union([z.string(), z.number()]))
    .describe('Values of the path placeholders, e.g. {"id": 10000001} for /customers/{id}.')
    .optional(),
  query: z.record(z.string(), queryValue).describe('Query parameters, e.g. {"name": "Smith", "page": 2, "pageSize": 20}.').optional(),
  body: z.unknown().describe('The JSON body of a POST, PUT or PATCH operation.').optional(),
});

const contactMethodInput = z.strictObject({
  type: z.enum(CONTACT_TYPES).describe('Phone, MobilePhone, Email or Fax.'),
  value: text(320, 'The phone number, e-mail address or fax number.'),
  memo: text(500, 'A note, e.g. "office" or "after 5 pm".').optional(),
});

export const createContactInput = z.strictObject({
  name: text(200, "The person's name."),
  title: text(200, 'Job title, e.g. "Office manager".').optional(),
  referenceId: text(200, 'Your own id for this person.').optional(),
  customerId: z.int().min(1).describe('Link the new person to this customer (its id from stcrm_findCustomers).').optional(),
  contactMethods: z.array(contactMethodInput).max(10).describe('Phones, e-mails and faxes of the person (up to 10).').optional(),
});

/** The operations that only read (GET): all a read-only stcrm_callOperation lists. */
export const READ_OPERATION_IDS = OPERATION_IDS.filter((id) => CRM_OPERATIONS[id].method === 'GET') as [CrmOperationId, ...CrmOperationId[]];

/** stcrm_callOperation's input where it only reads: the operation one of the GET operations. */
export const readOnlyCallOperationInput = callOperationInput.extend({
  operation: z.enum(READ_OPERATION_IDS).describe('The operationId of a GET operation, e.g. "Customers_GetList", "Locations_Get", "Customers_GetNotes".'),
});

/** stcrm_callOperation's description where writes are off (an MCP server that may not write). */
export const READ_ONLY_CALL_OPERATION_DESCRIPTION =
  `Call any of the ${READ_OPERATION_IDS.length} ServiceTitan CRM v2 operations that read (GET) by its operationId (e.g. Customers_GetList, Locations_Get, Contacts_GetList, Customers_GetNotes) ` +
  'when no other stcrm tool does what you need. path holds the values of the path placeholders (e.g. {"id": 10000001}), query the query ' +
  'parameters (e.g. {"page": 2, "pageSize": 20}). The input is checked against the official API document before anything is sent: if it does ' +
  "not fit, nothing is sent and you get the field errors to fix. The result is the HTTP status and the JSON answer, trimmed to a bounded size with a note on how to page; an error answer comes back field by field with ServiceTitan's trace ID.";

/** The MCP server's second call of a write: the token its first call returned. */
export const confirmationTokenInput = {
  confirmationToken: text(
    200,
    'Leave it out at first: the answer shows the exact request and a confirmationToken. Show the request to the user, and only when they agree call again with the same arguments and that token.',
  ).optional(),
};

export const TOOL_INPUTS = {
  stcrm_findCustomers: findCustomersInput,
  stcrm_getCustomer: getCustomerInput,
  stcrm_callOperation: callOperationInput,
  stcrm_createContact: createContactInput,
} as const satisfies Record<AgentToolName, z.ZodObject>;

export type ToolInput<N extends AgentToolName> = z.output<(typeof TOOL_INPUTS)[N]>;

/** How a tool presents itself: to people in VS Code, to a model everywhere. */
export interface ToolDescription {
  displayName: string;
  /** For the model: when to use it and what it returns. */
  modelDescription: string;
  /** For people, in the tool pickers. */
  userDescription: string;
  /** `#name` in a chat prompt. */
  toolReferenceName: string;
}

export const TOOL_DESCRIPTIONS: Record<AgentToolName, ToolDescription> = {
  stcrm_findCustomers: {
    displayName: 'Find ServiceTitan Customers',
    modelDescription:
      'Find ServiceTitan CRM customers by name, phone, e-mail or address, as compact rows (id, name, type, active, one-line address). ' +
      'Use it whenever the user names a customer and you need its id (for stcrm_getCustomer, stcrm_createContact or stcrm_callOperation). ' +
      "Filters combine: name (text the name contains as one piece, ignoring case: not words in any order), phone (any format), email (an e-mail address of one of the customer's people), " +
      'street, city, state, zip. Inactive customers are left out unless includeInactive is true. ' +
      'Paged: pageSize up to 50 (default 10); when the result says there are more, call again with the next page.',
    userDescription: 'Find CRM customers by name, phone, e-mail or address.',
    toolReferenceName: 'stcrmFindCustomers',
  },
  stcrm_getCustomer: {
    displayName: 'Get a ServiceTitan Customer',
    modelDescription:
      'Get one ServiceTitan CRM customer by id with what surrounds it: the customer record, its phones and e-mails, its service locations ' +
      'with their phones and e-mails, and the people (contacts) linked to it with their contact methods. ' +
      'Use it after stcrm_findCustomers when the user asks about one customer. Each list holds at most 10 entries; the result says how to page the rest with stcrm_callOperation.',
    userDescription: 'One CRM customer with its locations, phones, e-mails and people.',
    toolReferenceName: 'stcrmCustomer',
  },
  stcrm_callOperation: {
    displayName: 'Call a ServiceTitan CRM Operation',
    modelDescription:
      'Call any of the 86 ServiceTitan CRM v2 operations by its operationId (e.g. Customers_GetList, Locations_Get, Contacts_GetList, Customers_CreateNote) ' +
      'when no other stcrm tool does what you need. path holds the values of the path placeholders (e.g. {"id": 10000001}), query the query ' +
      'parameters (e.g. {"page": 2, "pageSize": 20}), body the JSON body of POST, PUT and PATCH. The input is checked against the official API ' +
      'document before anything is sent: if it does not fit, nothing is sent and you get the field errors to fix. The result is the HTTP status ' +
      "and the JSON answer, trimmed to a bounded size with a note on how to page; an error answer comes back field by field with ServiceTitan's trace ID. " +
      'Operations that change data (POST, PUT, PATCH, DELETE) ask the user to confirm the exact request first, and may be turned off.',
    userDescription: 'Any CRM v2 operation, checked against the official API document before it is sent.',
    toolReferenceName: 'stcrmCall',
  },
  stcrm_createContact: {
    displayName: 'Create a ServiceTitan Contact',
    modelDescription:
      'Create a person (contact) in ServiceTitan CRM, optionally linked to a customer (customerId) and with contact methods (phones, e-mails, faxes). ' +
      "Use it when the user asks to add a contact person; get the customer's id with stcrm_findCustomers first. The user confirms the exact " +
      'requests before anything is sent. The result has the new contact id. If a step fails after the person was made, calling again with ' +
      'the same input continues from that step instead of creating the person twice.',
    userDescription: 'Create a contact person with phones and e-mails, linked to a customer. Asks before it writes.',
    toolReferenceName: 'stcrmCreateContact',
  },
};

/** A tool's input, checked: its value, or every field that does not fit (nothing is sent then). */
export function parseToolInput<N extends AgentToolName>(name: N, raw: unknown): { ok: true; value: ToolInput<N> } | { ok: false; issues: FieldError[] } {
  const result = validateRequest(TOOL_INPUTS[name], raw ?? {});
  return result.ok ? { ok: true, value: result.value as ToolInput<N> } : { ok: false, issues: result.issues };
}
