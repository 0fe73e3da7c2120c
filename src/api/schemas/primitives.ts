/**
 * The building blocks the generated CRM v2 schemas are made of (src/api/generated/*.gen.ts):
 * one per kind of value the document uses, with the messages a form shows. The generator picks
 * one by type, format and role (request, response, path, query); nothing else builds them.
 */
import * as z from 'zod';

// ---- the document's enums, where code needs the list itself ------------------------------------

/**
 * `Crm.V2.ContactType`'s wire values: the 2026 document lists these four (`x-enumNames` the same).
 * The 2025 document listed `Phone` twice (`x-enumNames` Phone, LandlinePhone); the generator still
 * drops duplicates. A test checks the generated enum has exactly these.
 */
export const CONTACT_TYPES = ['Phone', 'Email', 'Fax', 'MobilePhone'] as const;
export type ContactType = (typeof CONTACT_TYPES)[number];

// ---- numbers -------------------------------------------------------------------------------------

/** An int64 the API sends. JS numbers are exact up to 2^53, which covers every real id. */
export const int64 = z.number().int();

/** An int64 id we put in a path, query or body: a positive whole number. */
export const int64Id = z
  .number({ error: 'Enter a whole number.' })
  .int('Enter a whole number.')
  .positive('Enter a positive number.')
  .max(Number.MAX_SAFE_INTEGER, 'This number is too large.');

/** Any other int64 we send (counts, amounts): a whole number a double holds exactly. */
export const int64Value = z
  .number({ error: 'Enter a whole number.' })
  .int('Enter a whole number.')
  .min(Number.MIN_SAFE_INTEGER, 'This number is too small.')
  .max(Number.MAX_SAFE_INTEGER, 'This number is too large.');

/** An int32 we send. */
export const int32 = z
  .number({ error: 'Enter a whole number.' })
  .int('Enter a whole number.')
  .min(-2147483648, 'This number is too small.')
  .max(2147483647, 'This number is too large.');

/** `decimal` and `double`: any finite number (JSON has no Infinity or NaN). */
export const number = z.number({ error: 'Enter a number.' });

// ---- text ----------------------------------------------------------------------------------------

/** A .NET `Guid` in the canonical `D` form (8-4-4-4-12 hex digits). */
export const guid = z.guid({ error: 'Enter an ID like 3f2504e0-4f89-11d3-9a0c-0305e82c3301.' });

/** A string path segment (`{typeSlug}`, `{preferenceName}`): not empty. */
export const pathText = z.string({ error: 'Enter a value.' }).min(1, 'Enter a value.');

// ---- dates ---------------------------------------------------------------------------------------

/** Filters we send: RFC 3339 with an offset (`2024-05-01T00:00:00Z`), as the spec asks. */
export const dateTimeFilter = z.iso.datetime({ offset: true, error: 'Enter a date and time like 2024-05-01T00:00:00Z.' });

/** Dates in a body we send: with an offset, or local as .NET reads them (`2024-05-01T09:00:00`). */
export const dateTimeInput = z.iso.datetime({ offset: true, local: true, error: 'Enter a date and time like 2024-05-01T09:00:00Z.' });

/** Dates the API sends: .NET writes up to 7 fractional digits and, for some fields, no offset. */
export const dateTime = z.iso.datetime({ offset: true, local: true });

// ---- query conventions -----------------------------------------------------------------------

/** ServiceTitan allows at most 5000 rows per page. */
export const page = z.number().int('Enter a whole page number.').min(1, 'Pages start at 1.');
export const pageSize = z.number().int('Enter a whole number of rows.').min(1, 'Ask for at least 1 row.').max(5000, 'ServiceTitan returns at most 5000 rows per page.');

/** `sort=+Field` / `-Field` over the fields the operation's description lists (case-insensitive). */
export function sort(fields: readonly string[]) {
  const pattern = new RegExp(`^[+-]?(${fields.join('|')})$`, 'i');
  return z.string().regex(pattern, `Sort by ${fields.map((f) => `+${f} or -${f}`).join(', ')}.`);
}

/** Comma-separated int64 ids (`ids=1,2,3`); an array is sent comma-joined by the transport. */
export const idList = z.union([
  z.array(int64Id).min(1, 'List at least one ID.').max(50, 'List at most 50 IDs.'),
  z
    .string()
    .regex(/^\s*\d+(\s*,\s*\d+)*\s*$/, 'Enter IDs separated by commas, like 1,2,3.')
    .refine((text) => text.split(',').length <= 50, 'List at most 50 IDs.')
    .refine((text) => text.split(',').every((id) => Number(id) > 0 && Number(id) <= Number.MAX_SAFE_INTEGER), 'Enter positive whole numbers as IDs.'),
]);

/** Comma-separated values; an array is sent comma-joined. */
export const stringList = z.union([z.array(z.string()).max(50, 'List at most 50 values.'), z.string()]);

/** A 200 the document describes without a body (DELETE, dismiss, tag changes): the body is ignored. */
export const noContent = z.unknown();

/** Relationship type slugs (`{typeSlug}`): the document says "customer, location, booking" in prose only. */
export const RELATIONSHIP_TYPE_SLUGS = ['customer', 'location', 'booking'] as const;
export const relationshipTypeSlug = z.enum(RELATIONSHIP_TYPE_SLUGS, { error: 'Choose customer, location or booking.' });
export type RelationshipTypeSlug = z.infer<typeof relationshipTypeSlug>;

/** A page's `totalCount`: null or absent unless `includeTotal` was asked for; read as undefined. */
export const totalCount = z.number().int().nullish().transform((v) => v ?? undefined);
