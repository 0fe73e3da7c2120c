import * as z from 'zod';
import { validateRequest } from '../api/schemas';

/** An argument object from a script, test or keybinding (not a tree node, not a string). */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype;
}

/** Validates a command's argument object, or throws an error naming every field that does not fit. */
export function parseCommandArgs<T extends z.ZodType>(command: string, schema: T, value: unknown): z.output<T> {
  const result = validateRequest(schema, value);
  if (result.ok) return result.value;
  throw new Error(`Invalid argument for ${command}: ${result.issues.map((issue) => `${issue.field || '(argument)'}: ${issue.message}`).join('; ')}`);
}

/** Options every write command's argument object takes. */
export const writeArgs = {
  /** A script's yes to a write on a production profile: no modal. Without it the modal asks. */
  productionConfirmed: z.boolean().optional(),
};
