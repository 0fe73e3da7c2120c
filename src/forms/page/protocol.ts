/**
 * Every message between a form's webview and the extension host, in both directions, as one zod
 * discriminated union each. Both sides parse what they receive and drop what does not fit, so a
 * malformed or hostile message never reaches the API. No vscode and no Node imports: the webview
 * bundle includes this module.
 *
 * Handshake: the page posts `ready` at the end of its script (also after a reload or when a
 * hidden panel is shown again); the host answers every `ready` with `init`. Requests carry a
 * `requestId` that their `result` repeats.
 */
import * as z from 'zod';
import { FORM_KINDS } from './formModel';

const MAX_TEXT = 10_000;
const key = z.string().regex(/^[A-Za-z][\w-]{0,63}$/, 'a field key');
const text = z.string().max(MAX_TEXT);
const fieldMap = z.record(key, text).refine((fields) => Object.keys(fields).length <= 32, 'at most 32 fields');

export const formValuesSchema = z.strictObject({
  fields: fieldMap,
  rows: z.array(z.strictObject({ id: key, fields: fieldMap })).max(50),
});

const requestId = z.string().regex(/^[\w-]{1,64}$/);
const pathSegment = z.union([z.string().max(200), z.number().int().min(0).max(10_000)]);
const fieldMessage = z.strictObject({ path: z.array(pathSegment).max(20), message: z.string().max(2_000) });

/** What a multi-step create has done so far, so submitting again continues instead of repeating. */
export const progressSchema = z.strictObject({
  /** The person New Contact created (its fields are then locked). */
  person: z.strictObject({ id: z.string().max(64), label: z.string().max(300) }).optional(),
  linked: z.boolean(),
  /** Contact-method rows already created: row id → method id. */
  methods: z.record(key, z.string().max(64)),
});
export type FormProgress = z.infer<typeof progressSchema>;

export const EMPTY_PROGRESS: FormProgress = { linked: false, methods: {} };

/**
 * The contact method created for row `rowId`, if any. Row ids come from the page, so they are
 * looked up as own keys only: a row named `constructor` or `toString` is a row like any other.
 */
export function createdMethodId(progress: FormProgress, rowId: string): string | undefined {
  return Object.hasOwn(progress.methods, rowId) ? progress.methods[rowId] : undefined;
}

// ---- webview → host ----

export const fromWebviewSchema = z.discriminatedUnion('type', [
  /** The page is up; `values` is what its own saved state holds (after a window reload). */
  z.strictObject({ type: z.literal('ready'), values: formValuesSchema.optional() }),
  /** The values changed: the host keeps them as the form's draft. */
  z.strictObject({ type: z.literal('changed'), values: formValuesSchema }),
  z.strictObject({
    type: z.literal('submit'),
    requestId,
    values: formValuesSchema,
    /** After "may have been created": use the record found (its id) instead of creating another, or create anyway. */
    resolution: z.union([z.strictObject({ use: z.string().max(64) }), z.strictObject({ createAnyway: z.literal(true) })]).optional(),
  }),
  /** Escape or Cancel: close, asking first when `dirty`. */
  z.strictObject({ type: z.literal('close'), dirty: z.boolean() }),
  /** After a create: start over with an empty form for the same customer or person. */
  z.strictObject({ type: z.literal('createAnother') }),
  /** Copy a trace ID or record ID to the clipboard. */
  z.strictObject({ type: z.literal('copy'), text: z.string().min(1).max(200) }),
]);
export type FromWebview = z.infer<typeof fromWebviewSchema>;

// ---- host → webview ----

const int64Id = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);
const guid = z.guid();

/**
 * Which record a form is for, in which profile. Only the host keeps it (with the form's id, in
 * the workspace state): the page never names a record.
 */
export const formTargetSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('createContact'), profileId: key, customerId: int64Id.optional() }),
  z.strictObject({ kind: z.literal('createCustomerContact'), profileId: key, customerId: int64Id }),
  z.strictObject({ kind: z.literal('createLocationContact'), profileId: key, locationId: int64Id }),
  z.strictObject({ kind: z.literal('createContactMethod'), profileId: key, contactId: guid }),
  z.strictObject({ kind: z.literal('editContact'), profileId: key, contactId: guid }),
  z.strictObject({ kind: z.literal('editCustomerContact'), profileId: key, customerId: int64Id, contactId: int64Id }),
  z.strictObject({ kind: z.literal('editLocationContact'), profileId: key, locationId: int64Id, contactId: int64Id }),
  z.strictObject({ kind: z.literal('editContactMethod'), profileId: key, contactId: guid, contactMethodId: guid }),
]);
export type FormTarget = z.infer<typeof formTargetSchema>;

/**
 * A form's id: random, made by the host when it opens the form. After a window reload the host
 * restores a form only under an id it recorded itself, with the record it recorded for it.
 */
export const formIdSchema = z.string().regex(/^[\w-]{22,64}$/, 'a form id');

/**
 * What the page saves with `setState`: its form's id and what was typed (a draft of values,
 * never a choice of record).
 */
export const pageStateSchema = z.strictObject({ formId: formIdSchema, values: formValuesSchema });
export type PageState = z.infer<typeof pageStateSchema>;

export const formInitSchema = z.strictObject({
  kind: z.enum(FORM_KINDS),
  formId: formIdSchema,
  title: z.string().max(300),
  /** Whom the form is for: "for customer Acme Plumbing (#10000012)". */
  subtitle: z.string().max(500).optional(),
  /** "Profile Local sandbox · tenant 1000"; production profiles are marked. */
  profile: z.string().max(300),
  production: z.boolean(),
  /** For edits: the record as loaded, to tell what changed. */
  original: formValuesSchema.optional(),
});
export type FormInit = z.infer<typeof formInitSchema>;

const candidate = z.strictObject({ id: z.string().max(64), label: z.string().max(300), detail: z.string().max(500) });

export const outcomeSchema = z.discriminatedUnion('status', [
  z.strictObject({ status: z.literal('saved'), message: z.string().max(2_000), id: z.string().max(64), progress: progressSchema }),
  z.strictObject({
    status: z.enum(['invalid', 'rejected', 'failed', 'maybeCreated']),
    /** One line for the banner: what failed, and what was already done. */
    message: z.string().max(4_000),
    /** The problem's title and trace ID (for support), when the server sent them. */
    title: z.string().max(500).optional(),
    traceId: z.string().max(200).optional(),
    fieldErrors: z.array(fieldMessage).max(200),
    progress: progressSchema,
    /** For maybeCreated: records that match what was sent. */
    candidates: z.array(candidate).max(20).optional(),
  }),
]);
export type SubmitOutcome = z.infer<typeof outcomeSchema>;

export const toWebviewSchema = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('init'),
    form: formInitSchema,
    values: formValuesSchema,
    progress: progressSchema,
    /** The outcome of the last submit, for a page that was hidden (or reloaded) when it came. */
    last: outcomeSchema.optional(),
    /** A submit still being sent: its result follows. */
    pending: requestId.optional(),
  }),
  z.strictObject({ type: z.literal('submitting'), requestId, step: z.string().max(300) }),
  z.strictObject({ type: z.literal('result'), requestId, outcome: outcomeSchema }),
  /** The record the form edits was deleted (elsewhere in this window). */
  z.strictObject({ type: z.literal('recordGone'), message: z.string().max(500) }),
]);
export type ToWebview = z.infer<typeof toWebviewSchema>;

/** The limits the schemas above put on texts and lists, for the host to cut what it sends to fit. */
export const LIMITS = {
  message: 4_000,
  title: 300,
  subtitle: 500,
  step: 300,
  fieldMessage: 2_000,
  fieldErrors: 200,
  candidates: 20,
  pathIndex: 10_000,
} as const;

/** `text` cut to `max` characters, with an ellipsis when it was longer. */
export function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** Parses a message; undefined (and why) when it does not fit. */
export function parseMessage<S extends z.ZodType>(schema: S, raw: unknown): { ok: true; message: z.output<S> } | { ok: false; why: string } {
  const result = schema.safeParse(raw);
  if (result.success) return { ok: true, message: result.data };
  const issue = result.error.issues[0];
  return { ok: false, why: issue ? `${issue.path.join('.') || '(message)'}: ${issue.message}` : 'not a message' };
}
