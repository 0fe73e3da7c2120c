// Readers of fields of a validated JSON body (validation.ts has checked their types, so a field
// is its type, null or absent).
import type { JsonObject } from '../../validation';

/** A number field, or undefined for absent and null. */
export function numOf(body: JsonObject, key: string): number | undefined {
  const value = body[key];
  return typeof value === 'number' ? value : undefined;
}

/** A string field, or undefined for absent and null. */
export function strOf(body: JsonObject, key: string): string | undefined {
  const value = body[key];
  return typeof value === 'string' ? value : undefined;
}

/** A boolean field, or undefined for absent and null. */
export function boolOf(body: JsonObject, key: string): boolean | undefined {
  const value = body[key];
  return typeof value === 'boolean' ? value : undefined;
}

/** An optional string as given: absent, null and '' are none. */
export function optString(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** A string worth keeping: absent, null and blank are none. */
export function optText(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}
