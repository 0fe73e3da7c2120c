/**
 * Checks the CRM v2 document cannot express, attached to generated request schemas by
 * openapi/overlay.json: a contact's value must suit its type, and some names must not be blank.
 * With `runEvenIfInvalid` a check runs even when another field failed, so a form shows every
 * problem at once; so each check guards its own input.
 */
import type * as z from 'zod';
import { CONTACT_TYPES, type ContactType } from './primitives';

type Refinement = (value: unknown, ctx: z.RefinementCtx) => void;

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

/** Adds an issue at `path`.value when a `{ type, value }` pair does not fit together. */
export function checkTypedValue(contact: unknown, ctx: z.RefinementCtx, path: PropertyKey[] = []): void {
  if (!isRecord(contact) || !isContactType(contact.type) || typeof contact.value !== 'string') return;
  const problem = contactValueProblem(contact.type, contact.value);
  if (problem) ctx.addIssue({ code: 'custom', message: problem, path: [...path, 'value'], input: contact.value });
}

/** Adds an issue when a text field is only whitespace (the API treats it as missing). */
export function checkNotBlank(value: unknown, ctx: z.RefinementCtx, path: PropertyKey[], message: string): void {
  if (typeof value === 'string' && value.trim() === '') ctx.addIssue({ code: 'custom', message, path, input: value });
}

/** Refinement option: run the checks even when another field already failed. */
export const runEvenIfInvalid = { when: (payload: { value: unknown }): boolean => isRecord(payload.value) };

/** `value` must be an e-mail address for `Email` and a phone number for the other types. */
export function contactValue(): Refinement {
  return (body, ctx) => checkTypedValue(body, ctx);
}

/** `prop` may be absent, but not whitespace only. */
export function notBlank(prop: string, message: string): Refinement {
  return (body, ctx) => {
    // A contact's value sent with its type is checked by contactValue, whose message says more.
    if (!isRecord(body) || (prop === 'value' && isContactType(body.type))) return;
    checkNotBlank(body[prop], ctx, [prop], message);
  };
}
