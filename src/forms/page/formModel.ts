/**
 * What each form holds, the payload it sends and how it is checked: shared by the webview (to
 * check while typing) and the extension host (to check again before sending), so both use the
 * client's own request schemas. No vscode and no Node imports: this runs in the browser too.
 */
import type { PathSegment } from '../../api/fieldPath';
import {
  CONTACT_TYPES,
  createContactMethodRequest,
  createContactRequest,
  createCustomerContactRequest,
  createLocationContactRequest,
  replaceContactRequest,
  updateCustomerContactRequest,
  updateLocationContactRequest,
  upsertContactMethodRequest,
  validateRequest,
  type ContactType,
} from '../../api/schemas';

export const FORM_KINDS = [
  'createContact',
  'createCustomerContact',
  'createLocationContact',
  'createContactMethod',
  'editContact',
  'editCustomerContact',
  'editLocationContact',
  'editContactMethod',
] as const;
export type FormKind = (typeof FORM_KINDS)[number];

/** What a form shows and what it holds; every value is kept as typed (checkboxes: 'true' / 'false'). */
export interface FormValues {
  fields: Record<string, string>;
  /** Contact-method rows of the New Contact form; each keeps its own id across edits. */
  rows: { id: string; fields: Record<string, string> }[];
}

export interface FieldSpec {
  key: string;
  label: string;
  control: 'text' | 'contactType' | 'checkbox';
  required?: boolean;
  placeholder?: string;
  help?: string;
}

export interface FormSpec {
  fields: FieldSpec[];
  /** Rows of contact methods (the New Contact form). */
  rows?: { key: 'contactMethods'; legend: string; addLabel: string; fields: FieldSpec[] };
  submitLabel: string;
  edit: boolean;
}

/** A problem with one value, where `path` points into the form's payload (`['contactMethods', 1, 'value']`). */
export interface FieldIssue {
  path: PathSegment[];
  message: string;
}

export const CONTACT_TYPE_OPTIONS: readonly { value: ContactType; label: string }[] = CONTACT_TYPES.map((value) => ({
  value,
  label: value === 'MobilePhone' ? 'Mobile phone' : value,
}));

const typeField: FieldSpec = { key: 'type', label: 'Type', control: 'contactType', required: true };
const valueField: FieldSpec = {
  key: 'value',
  label: 'Phone, email or fax',
  control: 'text',
  required: true,
  placeholder: '(555) 010-0199 or jane@example.com',
};
const memoField: FieldSpec = { key: 'memo', label: 'Memo', control: 'text', placeholder: 'e.g. office, after 5 pm' };
const referenceField: FieldSpec = {
  key: 'referenceId',
  label: 'Reference ID',
  control: 'text',
  help: 'Your own ID for this record, in the system that sends it.',
};
const personFields: FieldSpec[] = [
  { key: 'name', label: 'Name', control: 'text', required: true, placeholder: 'Jane Doe' },
  { key: 'title', label: 'Job title', control: 'text', placeholder: 'Office manager' },
  referenceField,
];

const SPECS: Record<FormKind, FormSpec> = {
  createContact: {
    fields: personFields,
    rows: { key: 'contactMethods', legend: 'Contact methods', addLabel: 'Add Contact Method', fields: [typeField, valueField, memoField] },
    submitLabel: 'Create Contact',
    edit: false,
  },
  createCustomerContact: { fields: [typeField, valueField, memoField], submitLabel: 'Add Phone or Email', edit: false },
  createLocationContact: { fields: [typeField, valueField, memoField], submitLabel: 'Add Phone or Email', edit: false },
  createContactMethod: { fields: [typeField, valueField, memoField, referenceField], submitLabel: 'Add Contact Method', edit: false },
  editContact: { fields: [...personFields, { key: 'isArchived', label: 'Archived', control: 'checkbox' }], submitLabel: 'Save Contact', edit: true },
  editCustomerContact: { fields: [typeField, valueField, memoField], submitLabel: 'Save', edit: true },
  editLocationContact: { fields: [typeField, valueField, memoField], submitLabel: 'Save', edit: true },
  editContactMethod: { fields: [typeField, valueField, memoField, referenceField], submitLabel: 'Save Contact Method', edit: true },
};

export function formSpec(kind: FormKind): FormSpec {
  return SPECS[kind];
}

let rowCounter = 0;
/** An id for a new contact-method row, unique in this page or host. */
export function newRowId(): string {
  return `r${Date.now().toString(36)}${(rowCounter++).toString(36)}`;
}

/** A new, empty set of values for a form (New Contact starts without contact-method rows: each is added on purpose). */
export function emptyValues(kind: FormKind): FormValues {
  const fields = Object.fromEntries(
    SPECS[kind].fields.map((field) => [field.key, field.control === 'checkbox' ? 'false' : field.control === 'contactType' ? 'MobilePhone' : '']),
  );
  return { fields, rows: [] };
}

export function emptyRow(): Record<string, string> {
  return { type: 'MobilePhone', value: '', memo: '' };
}

/** Trimmed text, or undefined when empty: the API wants optional fields left out, not sent empty. */
function optional(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}

function compact<T extends Record<string, unknown>>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, item]) => item !== undefined)) as T;
}

function typedValue(fields: Record<string, string>): Record<string, unknown> {
  return compact({ type: fields.type ?? '', value: fields.value?.trim() ?? '', memo: optional(fields.memo) });
}

/**
 * The JSON the form stands for: what the Problems panel and the payload document show, and what
 * is checked. For New Contact it is the person plus `contactMethods`, the rows sent one by one
 * after it; for edits it is the record as the form would leave it.
 */
export function payloadOf(kind: FormKind, values: FormValues): Record<string, unknown> {
  const f = values.fields;
  switch (kind) {
    case 'createContact': {
      const person = compact({ name: optional(f.name), title: optional(f.title), referenceId: optional(f.referenceId) });
      return values.rows.length > 0 ? { ...person, contactMethods: values.rows.map((row) => typedValue(row.fields)) } : person;
    }
    case 'createCustomerContact':
    case 'createLocationContact':
    case 'editCustomerContact':
    case 'editLocationContact':
      return typedValue(f);
    case 'createContactMethod':
    case 'editContactMethod':
      return { ...typedValue(f), ...compact({ referenceId: optional(f.referenceId) }) };
    case 'editContact':
      return { ...compact({ name: optional(f.name), title: optional(f.title), referenceId: optional(f.referenceId) }), isArchived: f.isArchived === 'true' };
  }
}

function issuesOf(schema: Parameters<typeof validateRequest>[0], body: unknown, prefix: PathSegment[] = []): FieldIssue[] {
  const result = validateRequest(schema, body);
  return result.ok ? [] : result.issues.map((issue) => ({ path: [...prefix, ...issue.path], message: issue.message }));
}

/** Every problem the client's request schemas (and the form's own rule: a contact has a name) find, so none is sent that must fail. */
export function validateForm(kind: FormKind, values: FormValues): FieldIssue[] {
  const payload = payloadOf(kind, values);
  switch (kind) {
    case 'createContact': {
      const { contactMethods, ...person } = payload;
      const issues = issuesOf(createContactRequest, person);
      if (person.name === undefined) issues.unshift({ path: ['name'], message: 'Enter a name for the contact.' });
      const rows = Array.isArray(contactMethods) ? contactMethods : [];
      rows.forEach((row, index) => issues.push(...issuesOf(createContactMethodRequest, row, ['contactMethods', index])));
      return issues;
    }
    case 'createCustomerContact':
      return issuesOf(createCustomerContactRequest, payload);
    case 'createLocationContact':
      return issuesOf(createLocationContactRequest, payload);
    case 'createContactMethod':
      return issuesOf(createContactMethodRequest, payload);
    case 'editContact': {
      const issues = issuesOf(replaceContactRequest, payload);
      if (payload.name === undefined) issues.unshift({ path: ['name'], message: 'Enter a name for the contact.' });
      return issues;
    }
    case 'editCustomerContact':
      return issuesOf(updateCustomerContactRequest, payload);
    case 'editLocationContact':
      return issuesOf(updateLocationContactRequest, payload);
    case 'editContactMethod':
      return issuesOf(upsertContactMethodRequest, payload);
  }
}

/** What an edit sends: PATCH with only what changed, or PUT where PATCH cannot express the change. */
export interface EditPlan {
  method: 'PATCH' | 'PUT';
  body: Record<string, unknown>;
  /** Why PUT, in words the form shows next to its button. */
  note?: string;
  /** Nothing changed: nothing to send. */
  unchanged: boolean;
}

/** Compares what the form would leave with the record as it was loaded. */
export function planEdit(kind: FormKind, original: FormValues, values: FormValues): EditPlan {
  const before = payloadOf(kind, original);
  const after = payloadOf(kind, values);
  const changed = Object.fromEntries(Object.entries(after).filter(([key, value]) => before[key] !== value));
  const cleared = Object.keys(before).filter((key) => after[key] === undefined);
  const unchanged = Object.keys(changed).length === 0 && cleared.length === 0;
  switch (kind) {
    case 'editContact':
      // PATCH keeps what it is not given, so emptying a field needs the PUT that replaces the
      // contact. The spec requires isArchived on both.
      if (cleared.length > 0)
        return {
          method: 'PUT',
          body: after,
          unchanged,
          note: `Emptying ${cleared.map(labelOf(kind)).join(' and ')} replaces the contact (PUT): fields left empty are removed.`,
        };
      return { method: 'PATCH', body: { ...changed, isArchived: after.isArchived }, unchanged };
    case 'editContactMethod':
      // A contact method's PATCH takes value and memo only: a new type or reference ID (or an
      // emptied one) needs the PUT that replaces the method under the same ID.
      if ('type' in changed || 'referenceId' in changed || cleared.length > 0) {
        return {
          method: 'PUT',
          body: after,
          unchanged,
          note: 'A contact method cannot change its type or reference ID by PATCH: saving replaces it (PUT) under the same ID.',
        };
      }
      return { method: 'PATCH', body: changed, unchanged };
    case 'editCustomerContact':
    case 'editLocationContact':
      // No PUT here: an emptied memo is sent as an empty string.
      return { method: 'PATCH', body: { ...changed, ...Object.fromEntries(cleared.map((key) => [key, ''])) }, unchanged };
    default:
      return { method: 'PATCH', body: changed, unchanged };
  }
}

function labelOf(kind: FormKind): (key: string) => string {
  return (key) => SPECS[kind].fields.find((field) => field.key === key)?.label ?? key;
}

/** Where a payload path is shown in the form: a top-level field, or a field of a row. */
export function fieldIdOf(path: readonly PathSegment[], values: FormValues): string | undefined {
  const [first, second, third] = path;
  if (typeof first !== 'string') return undefined;
  if (first.toLowerCase() === 'contactmethods' && typeof second === 'number' && typeof third === 'string') {
    const row = values.rows[second];
    return row ? `row-${row.id}-${third.toLowerCase()}` : undefined;
  }
  return path.length === 1 ? `field-${first.toLowerCase()}` : undefined;
}
