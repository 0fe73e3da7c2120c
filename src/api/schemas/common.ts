/**
 * Building blocks shared by the CRM v2 schemas (tenant-crm-v2.json, Swagger 2.0).
 *
 * Requests are strict (`z.strictObject`): unknown keys are rejected, because every request
 * definition in the spec says `additionalProperties: false` and ServiceTitan answers 400 for them.
 * Responses are loose (`z.looseObject`): new fields the API adds later must not break us.
 */
import * as z from 'zod';
import type { FieldError } from '../errors';
import { formatFieldPath, parseFieldPath } from '../fieldPath';

// ---- ids -----------------------------------------------------------------------------------------

/** An int64 id as the API sends it. JS numbers are exact up to 2^53, which covers every real id. */
export const int64 = z.number().int();

/** An int64 id we put in a path or body: a positive whole number. */
export const int64Id = z
  .number({ error: 'Enter a whole number.' })
  .int('Enter a whole number.')
  .positive('Enter a positive number.')
  .max(Number.MAX_SAFE_INTEGER, 'This number is too large.');

/** A .NET `Guid` in the canonical `D` form (8-4-4-4-12 hex digits). */
export const guid = z.guid({ error: 'Enter an ID like 3f2504e0-4f89-11d3-9a0c-0305e82c3301.' });

// ---- dates ---------------------------------------------------------------------------------------

/** Filters we send: RFC 3339 with an offset (`2024-05-01T00:00:00Z`), as the spec asks. */
export const dateTimeFilter = z.iso.datetime({ offset: true, error: 'Enter a date and time like 2024-05-01T00:00:00Z.' });

/** Dates the API sends: .NET writes up to 7 fractional digits and, for some fields, no offset. */
export const dateTime = z.iso.datetime({ offset: true, local: true });

// ---- enums ---------------------------------------------------------------------------------------

/**
 * `Crm.V2.ContactType`. The spec lists `Phone` twice (`x-enumNames` Phone, LandlinePhone); the
 * wire values are these four.
 */
export const CONTACT_TYPES = ['Phone', 'Email', 'Fax', 'MobilePhone'] as const;
export const contactType = z.enum(CONTACT_TYPES, { error: 'Choose Phone, MobilePhone, Email or Fax.' });
export type ContactType = z.infer<typeof contactType>;

/** `Crm.V2.CustomerType`. */
export const CUSTOMER_TYPES = ['Residential', 'Commercial'] as const;
export const customerType = z.enum(CUSTOMER_TYPES, { error: 'Choose Residential or Commercial.' });
export type CustomerType = z.infer<typeof customerType>;

/** `ActiveRequestArg`: the `active` filter of customer and location lists. */
export const ACTIVE_FILTERS = ['True', 'Any', 'False'] as const;
export const activeFilter = z.enum(ACTIVE_FILTERS, { error: 'Choose True, Any or False.' });
export type ActiveFilter = z.infer<typeof activeFilter>;

/** `Crm.V2.ExternalDataPatchMode`. */
export const externalDataPatchMode = z.enum(['Replace', 'Merge'], { error: 'Choose Replace or Merge.' });

// ---- paging and sorting --------------------------------------------------------------------------

/** Query keys every paginated list takes. ServiceTitan allows at most 5000 rows per page. */
export const pageQueryFields = {
  page: z.number().int('Enter a whole page number.').min(1, 'Pages start at 1.').optional(),
  pageSize: z.number().int('Enter a whole number of rows.').min(1, 'Ask for at least 1 row.').max(5000, 'ServiceTitan returns at most 5000 rows per page.').optional(),
  includeTotal: z.boolean().optional(),
};

/** `sort=+Field` / `-Field` over the fields the spec lists for the operation (names are case-insensitive). */
export function sortQuery(fields: readonly string[]) {
  const pattern = new RegExp(`^[+-]?(${fields.join('|')})$`, 'i');
  return z
    .string()
    .regex(pattern, `Sort by ${fields.map((f) => `+${f} or -${f}`).join(', ')}.`)
    .optional();
}

export const SORT_FIELDS = ['Id', 'ModifiedOn', 'CreatedOn'] as const;

/** Comma-separated int64 ids (`ids=1,2,3`); an array is sent comma-joined by the transport. */
export function idListQuery(max: number) {
  return z
    .union([
      z.array(int64Id).min(1, 'List at least one ID.').max(max, `List at most ${max} IDs.`),
      z.string().regex(/^\s*\d+(\s*,\s*\d+)*\s*$/, 'Enter IDs separated by commas, like 1,2,3.'),
    ])
    .optional();
}

/** Comma-separated values; an array is sent comma-joined. */
export const stringListQuery = z.union([z.array(z.string()).max(50, 'List at most 50 values.'), z.string()]).optional();

// ---- shared response pieces ----------------------------------------------------------------------

/**
 * An optional response field. The live API sends `null` for a value that is not set (the sandbox
 * omits it), so both are accepted.
 */
export function optionalField<T extends z.ZodType>(schema: T) {
  return schema.nullish();
}

/** `Crm.V2.Customers.PhoneSettings`. */
export const phoneSettings = z.looseObject({
  phoneNumber: z.string(),
  doNotText: z.boolean(),
});
export type PhoneSettings = z.infer<typeof phoneSettings>;

/** `Crm.V2.ExternalDataModel` (responses and create requests share the shape). */
export const externalDataModel = z.looseObject({
  key: z.string(),
  value: z.string(),
});
export type ExternalData = z.infer<typeof externalDataModel>;

/** `Crm.V2.Customers.CustomFieldModel`. */
export const customFieldModel = z.looseObject({
  typeId: int64,
  name: optionalField(z.string()),
  value: optionalField(z.string()),
});
export type CustomField = z.infer<typeof customFieldModel>;

/** `Crm.V2.Customers.CustomerAddress` as a response (customers and locations). */
export const addressResponse = z.looseObject({
  street: z.string(),
  unit: optionalField(z.string()),
  city: z.string(),
  state: z.string(),
  zip: z.string(),
  country: z.string(),
  latitude: optionalField(z.number()),
  longitude: optionalField(z.number()),
});
export type Address = z.infer<typeof addressResponse>;

/** Any 200 the spec documents with `schema: null` (DELETE, relationship POST): body ignored. */
export const noContent = z.unknown();

// ---- type-dependent value checks -----------------------------------------------------------------

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const PHONE_CHARACTERS = /^[0-9+\-().\s]+$/;

/**
 * Why `value` does not suit a contact of `type`, in words a form can show; undefined when it does.
 * ServiceTitan rejects malformed e-mail addresses and phone numbers with 400, so UIs check first.
 */
export function contactValueProblem(type: ContactType, value: string): string | undefined {
  const v = value.trim();
  if (v === '') return type === 'Email' ? 'Enter an email address like name@example.com' : `Enter a ${phoneNoun(type)} like (555) 123-4567`;
  if (type === 'Email') return EMAIL.test(v) ? undefined : 'Enter an email address like name@example.com';
  const digits = v.replace(/\D/g, '').length;
  if (!PHONE_CHARACTERS.test(v)) return `Enter a ${phoneNoun(type)} using digits, spaces and + - ( ) . only, like (555) 123-4567`;
  if (digits < 10 || digits > 15) return `Enter a ${phoneNoun(type)} with 10 to 15 digits, like (555) 123-4567`;
  return undefined;
}

function phoneNoun(type: Exclude<ContactType, 'Email'>): string {
  return type === 'Fax' ? 'fax number' : type === 'MobilePhone' ? 'mobile number' : 'phone number';
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isContactType(value: unknown): value is ContactType {
  return typeof value === 'string' && (CONTACT_TYPES as readonly string[]).includes(value);
}

/**
 * Adds an issue at `path`.value when a `{ type, value }` pair does not fit together. Takes
 * `unknown` because it also runs on input whose other fields failed (see `runEvenIfInvalid`).
 */
export function checkTypedValue(contact: unknown, ctx: z.RefinementCtx, path: PropertyKey[] = []): void {
  if (!isRecord(contact) || !isContactType(contact.type) || typeof contact.value !== 'string') return;
  const problem = contactValueProblem(contact.type, contact.value);
  if (problem) ctx.addIssue({ code: 'custom', message: problem, path: [...path, 'value'], input: contact.value });
}

/** Adds an issue when a text field is only whitespace (the API treats it as missing). */
export function checkNotBlank(value: unknown, ctx: z.RefinementCtx, path: PropertyKey[], message: string): void {
  if (typeof value === 'string' && value.trim() === '') ctx.addIssue({ code: 'custom', message, path, input: value });
}

/**
 * Refinement option: run the value checks even when another field already failed, so a form
 * shows every problem at once. The checks guard their own input.
 */
export const runEvenIfInvalid = { when: (payload: { value: unknown }): boolean => isRecord(payload.value) };

/** `schema` plus the type-dependent value check of a `{ type, value, … }` body. */
export function withContactValueCheck<T extends z.ZodType>(schema: T): T {
  return schema.superRefine((body, ctx) => checkTypedValue(body, ctx), runEvenIfInvalid);
}

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
