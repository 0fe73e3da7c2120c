/**
 * The quick-input steps a record is asked for with (text fields, the contact type), each checked
 * while typing with the client's request schemas. UI only: the write is the caller's
 * (src/records/collectAndSubmit.ts).
 */
import * as vscode from 'vscode';
import type * as z from 'zod';
import { sameSegments } from '../api/fieldPath';
import { CONTACT_TYPES, validateRequest, type ContactType } from '../api/schemas';
import { MultiStepInput, type Step } from './multiStepInput';
import { CONTACT_TYPE_LABELS } from '../model/entities';

/** A server complaint about one field, shown on that field when the steps reopen. */
export interface FieldNotice {
  /** The top-level body field as the server spelled it (`Value`); matched case-insensitively. */
  field: string;
  message: string;
}

/** Text fields of a record's steps; every value is kept as typed, so reopened steps show it again. */
export type Draft = Record<string, string | undefined>;

export interface TextField {
  key: string;
  prompt: string;
  placeholder?: string;
  optional?: boolean;
}

/**
 * The problem the request schema finds with one field of the body this draft would send, so
 * the input validates while typing with the client's own rules (nothing hand-written twice).
 */
export function schemaProblem(schema: z.ZodType, body: object, field: string): string | undefined {
  const result = validateRequest(schema, body);
  if (result.ok) return undefined;
  return result.issues.find((issue) => issue.path.length > 0 && sameSegments(issue.path.slice(0, 1), [field]))?.message;
}

/** Drops empty optional text fields, as the API wants them left out rather than sent empty. */
export function bodyOf(draft: Draft, keys: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of keys) {
    const value = draft[key]?.trim();
    if (value) out[key] = value;
  }
  return out;
}

/** Steps for text fields, each validated against the whole body the draft would make. */
export function textSteps(
  title: string,
  fields: readonly TextField[],
  draft: Draft,
  problem: (draft: Draft, key: string) => string | undefined,
  notice?: FieldNotice,
): Step[] {
  const steps: Step[] = [];
  fields.forEach((field, index) => {
    steps.push(async (input: MultiStepInput) => {
      const value = await input.showText({
        title,
        prompt: field.optional ? `${field.prompt} (optional: press Enter to leave it out)` : field.prompt,
        placeholder: field.placeholder,
        value: draft[field.key],
        notice: notice && sameSegments([notice.field], [field.key]) ? notice.message : undefined,
        validate: (text) => problem({ ...draft, [field.key]: text }, field.key),
      });
      draft[field.key] = value;
      return steps[index + 1];
    });
  });
  return steps;
}

interface TypeItem extends vscode.QuickPickItem {
  type: ContactType;
}

/** A step that picks Phone / MobilePhone / Email / Fax. */
export function contactTypeStep(title: string, draft: Draft, next: () => Step | undefined): Step {
  return async (input) => {
    const items: TypeItem[] = CONTACT_TYPES.map((type) => ({ type, label: CONTACT_TYPE_LABELS[type], description: type }));
    const chosen = await input.showPick({ title, placeholder: 'What kind of contact?', items, active: items.find((item) => item.type === draft.type) });
    draft.type = chosen.type;
    return next();
  };
}

/** Runs steps in order with Back support. */
export function runSteps(first: Step | undefined, total: number): Promise<void> {
  return first ? MultiStepInput.run(first, () => total) : Promise.resolve();
}
