/**
 * Checks the CRM v2 document cannot express, attached to generated request schemas by
 * openapi/overlay.json: a contact's value must suit its type, and some names must not be blank.
 * Each returns a zod refinement; with `runEvenIfInvalid` it runs even when another field failed,
 * so a form shows every problem at once (the checks guard their own input).
 */
import type * as z from 'zod';
import { checkNotBlank, checkTypedValue, runEvenIfInvalid as whenObject } from './common';

type Refinement = (value: unknown, ctx: z.RefinementCtx) => void;

export const runEvenIfInvalid = whenObject;

/** `value` must be an e-mail address for `Email` and a phone number for the other types. */
export function contactValue(): Refinement {
  return (body, ctx) => checkTypedValue(body, ctx);
}

/** `prop` may be absent, but not whitespace only (the API treats it as missing). */
export function notBlank(prop: string, message: string): Refinement {
  return (body, ctx) => {
    if (typeof body === 'object' && body !== null) checkNotBlank((body as Record<string, unknown>)[prop], ctx, [prop], message);
  };
}
