/**
 * Building blocks shared by the CRM v2 schemas: the generated enums and response pieces under the
 * names the extension uses, the value checks, and turning zod issues into field errors.
 *
 * Requests are strict (unknown keys rejected: every request definition says
 * `additionalProperties: false` and ServiceTitan answers 400 for them); responses are loose, so
 * fields the API adds later break nothing. scripts/generate-crm.mjs applies that rule.
 */
import * as z from 'zod';
import type { FieldError } from '../errors';
import { formatFieldPath, parseFieldPath } from '../fieldPath';
import * as S from '../generated/schemas.gen';

export { dateTime, dateTimeFilter, guid, int64, int64Id, CONTACT_TYPES, type ContactType } from './primitives';
export { checkNotBlank, checkTypedValue, contactValueProblem, runEvenIfInvalid } from './rules';

// ---- enums ---------------------------------------------------------------------------------------

/** `Crm.V2.ContactType`. */
export const contactType = S.CrmV2ContactType;
/** `Crm.V2.CustomerType`. */
export const CUSTOMER_TYPES = S.CrmV2CustomerType.options;
export const customerType = S.CrmV2CustomerType;
export type CustomerType = S.CrmV2CustomerType;
/** `ActiveRequestArg`: the `active` filter of customer and location lists. */
export const ACTIVE_FILTERS = S.ActiveRequestArg.options;
export const activeFilter = S.ActiveRequestArg;
export type ActiveFilter = S.ActiveRequestArg;
export const externalDataPatchMode = S.CrmV2ExternalDataPatchMode;

// ---- shared response pieces ----------------------------------------------------------------------

export const phoneSettings = S.CrmV2CustomersPhoneSettings;
export type PhoneSettings = S.CrmV2CustomersPhoneSettings;
export const externalDataModel = S.CrmV2ExternalDataModel;
export type ExternalData = S.CrmV2ExternalDataModel;
export const customFieldModel = S.CrmV2CustomersCustomFieldModel;
export type CustomField = S.CrmV2CustomersCustomFieldModel;
/** `Crm.V2.Customers.CustomerAddress` as a response (customers and locations). */
export const addressResponse = S.CrmV2CustomersCustomerAddress;
export type Address = S.CrmV2CustomersCustomerAddress;

// ---- turning zod issues into field errors --------------------------------------------------------

/** `locations[0].address.street` from zod's path (same notation as the transport's shape errors). */
export function fieldPath(path: readonly PropertyKey[]): string {
  return formatFieldPath(parseFieldPath(path).segments);
}

/**
 * Messages for issues whose schema set none: zod's defaults ("Invalid input: expected string,
 * received undefined") mean nothing to someone filling in a form.
 */
export const requestErrorMap: z.core.$ZodErrorMap = (issue) => {
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined) return 'This field is required.';
      if (issue.input === null) return 'This field cannot be empty (null).';
      // zod reports 2.5 for an int as a wrong type, and "12" for a number says nothing of what to send.
      if (issue.expected === 'int' && typeof issue.input === 'number') return 'Enter a whole number.';
      if ((issue.expected === 'int' || issue.expected === 'number') && typeof issue.input === 'string') return 'Enter a number, not text (12, not "12").';
      return `Expected ${describeExpected(issue.expected)}.`;
    case 'invalid_value':
      return `Choose one of: ${issue.values.map(String).join(', ')}.`;
    case 'too_small':
      return issue.origin === 'array' ? `List at least ${String(issue.minimum)}.` : issue.origin === 'string' ? 'This field cannot be empty.' : `Enter at least ${String(issue.minimum)}.`;
    case 'too_big':
      return issue.origin === 'string' ? `Enter at most ${String(issue.maximum)} characters.` : `Enter at most ${String(issue.maximum)}.`;
    default:
      return undefined;
  }
};

function describeExpected(expected: string): string {
  switch (expected) {
    case 'string':
      return 'text';
    case 'number':
    case 'int':
      return 'a number';
    case 'boolean':
      return 'true or false';
    case 'array':
      return 'a list';
    case 'object':
      return 'an object';
    default:
      return expected;
  }
}

/**
 * One FieldError per problem; an unknown key becomes its own error on that key's path. Issues are
 * placed in the body; buildRequest moves those of path and query schemas where they belong.
 */
export function fieldErrors(error: z.ZodError): FieldError[] {
  const out: FieldError[] = [];
  const push = (path: readonly PropertyKey[], message: string): void => {
    const { segments } = parseFieldPath(path);
    out.push({ field: formatFieldPath(segments), message, location: 'body', path: segments });
  };
  for (const issue of error.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) push([...issue.path, key], 'The API does not accept this field.');
    } else {
      push(issue.path, issue.message);
    }
  }
  return out;
}

export type ValidationResult<T> = { ok: true; value: T } | { ok: false; issues: FieldError[] };

/** Validates a request body or form value with readable messages, without throwing. */
export function validateRequest<T extends z.ZodType>(schema: T, value: unknown): ValidationResult<z.output<T>> {
  const result = schema.safeParse(value, { error: requestErrorMap });
  return result.success ? { ok: true, value: result.data } : { ok: false, issues: fieldErrors(result.error) };
}
