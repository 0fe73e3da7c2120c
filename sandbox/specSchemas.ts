// Request validation schemas, converted once from CRM_SPEC (the 2026 document's JSON Schemas) into
// the sandbox's FieldSpec/ObjectSchema. What the document cannot say comes from two places:
//  - openapi/overlay.json, through CRM_SPEC.overlay: the same lists the client's schemas are
//    generated from (non-blank fields, contact values that must suit their type, minItems, the
//    parameter codes of plain-string parameters) and each operation's sort fields. The sandbox
//    implements these rules itself (an independent implementation), but never lists them again.
//  - this file, for the sandbox only: its length limits (maxLength; the real API's limits are not
//    documented, so the client does not check them) and the query conventions every ServiceTitan
//    list shares (paging ranges, id lists, the `active` values, the ContactType filter).
import { CRM_SPEC } from './generated/spec.gen';
import type { SpecOperation, SpecSchema } from './specTypes';
import { CONTACT_TYPES } from './types';
import { checkTypedValue, type FieldSpec, type ObjectSchema } from './validation';

const REF_PREFIX = '#/components/schemas/';
export const NAME_MAX = 255;
export const VALUE_MAX = 255;
export const MEMO_MAX = 255;
export const NOTE_MAX = 10_000;

// ---- sandbox-only limits ------------------------------------------------------------------------
/** Maximum string lengths by property name, in every request definition (the README's limits; sandbox only). */
const MAX_LENGTH: Record<string, number> = {
  name: NAME_MAX,
  value: VALUE_MAX,
  memo: MEMO_MAX,
  title: 100,
  referenceId: 100,
  key: 255,
  text: NOTE_MAX,
  street: 255,
  unit: 64,
  city: 100,
  state: 64,
  zip: 20,
  country: 64,
};
/** Properties whose name matches MAX_LENGTH but which are free text without the sandbox limit. */
const NO_MAX_LENGTH = new Set(['Crm.V2.ExternalDataModel.value', 'Crm.V2.ExternalDataUpdateModel.value', 'Crm.V2.Customers.CustomFieldUpdateModel.value']);

// ---- the overlay (openapi/overlay.json, read through CRM_SPEC) ----------------------------------
/** `Component.property` strings that must not be blank when they are sent (the overlay's notBlank). */
const NOT_BLANK = new Set<string>();
/** { type, value } definitions whose value must suit the type (the overlay's contactValue; checkTypedValue). */
const TYPED_CONTACTS = new Set<string>();
for (const [schema, rules] of Object.entries(CRM_SPEC.overlay.rules)) {
  for (const [rule, prop] of rules) {
    if (rule === 'notBlank' && prop !== undefined) NOT_BLANK.add(`${schema}.${prop}`);
    else if (rule === 'contactValue') TYPED_CONTACTS.add(schema);
    // A rule the sandbox does not implement would be a check only the client makes.
    else throw new Error(`openapi/overlay.json: the sandbox does not implement the rule ${String(rule)} (${schema})`);
  }
}
/** Minimum item counts by `Component.property` (a ServiceTitan customer has at least one location). */
const MIN_ITEMS: Readonly<Record<string, number>> = CRM_SPEC.overlay.minItems;

export type QueryRule =
  | { kind: 'range'; min: number; max: number }
  | { kind: 'idList'; max: number }
  | { kind: 'values'; values: readonly string[] }
  | { kind: 'bool' }
  | { kind: 'sort'; fields: readonly string[] };

/** Query rules by parameter name (every operation), or `operationId.parameter`: the sandbox's conventions. */
const QUERY_RULES: Record<string, QueryRule> = {
  page: { kind: 'range', min: 1, max: 2147483647 },
  pageSize: { kind: 'range', min: 1, max: 5000 },
  ids: { kind: 'idList', max: 50 },
  customerIds: { kind: 'idList', max: 50 },
  locationIds: { kind: 'idList', max: 50 },
  active: { kind: 'values', values: ['True', 'Any', 'False'] },
  'ContactMethods_GetContactMethods.type': { kind: 'values', values: CONTACT_TYPES },
  'Contacts_SearchContactMethods.type': { kind: 'values', values: CONTACT_TYPES },
};

/**
 * What the overlay's parameter codes (the client's schema for a plain-string parameter) mean here;
 * undefined: the handler reads the text itself (id-list splitting, path slugs answered with 404).
 */
const PARAMETER_CODES: Record<string, QueryRule | undefined> = {
  'z.boolean()': { kind: 'bool' },
  'P.stringList': undefined,
  'P.relationshipTypeSlug': undefined,
};
for (const [key, code] of Object.entries(CRM_SPEC.overlay.parameters)) {
  if (!(code in PARAMETER_CODES)) throw new Error(`openapi/overlay.json: the sandbox does not know the parameter code ${code} (${key})`);
}

/** The sort fields the sandbox can order by (compared case-insensitively: the document spells `ID` once). */
export const SORTABLE_FIELDS = ['id', 'createdon', 'modifiedon'] as const;

export function queryRule(op: SpecOperation, parameter: string): QueryRule | undefined {
  if (parameter === 'sort') return op.sortFields ? { kind: 'sort', fields: op.sortFields } : undefined;
  const code = CRM_SPEC.overlay.parameters[`${op.operationId}.${parameter}`] ?? CRM_SPEC.overlay.parameters[parameter];
  const fromOverlay = code === undefined ? undefined : PARAMETER_CODES[code];
  return QUERY_RULES[`${op.operationId}.${parameter}`] ?? fromOverlay ?? QUERY_RULES[parameter];
}

// ---- conversion ---------------------------------------------------------------------------------
const refName = (ref: string): string => {
  if (!ref.startsWith(REF_PREFIX)) throw new Error(`unsupported $ref ${ref}`);
  return ref.slice(REF_PREFIX.length);
};

/** The document's nullable spellings: `type: [t, 'null']`, `oneOf: [{$ref}, {type: 'null'}]`, `oneOf: [{$ref}]`. */
export function unwrap(schema: SpecSchema): { schema: SpecSchema; nullable: boolean } {
  if (schema.oneOf) {
    const refs = schema.oneOf.filter((alternative) => alternative.$ref !== undefined);
    const nulls = schema.oneOf.filter((alternative) => alternative.type === 'null');
    if (refs.length !== 1 || refs.length + nulls.length !== schema.oneOf.length) throw new Error(`unsupported oneOf ${JSON.stringify(schema.oneOf)}`);
    return { schema: refs[0] as SpecSchema, nullable: nulls.length > 0 };
  }
  if (Array.isArray(schema.type)) {
    const types = schema.type.filter((type) => type !== 'null');
    if (types.length !== 1) throw new Error(`unsupported type ${JSON.stringify(schema.type)}`);
    return { schema: { ...schema, type: types[0] }, nullable: types.length < schema.type.length };
  }
  return { schema, nullable: schema.nullable === true };
}

export function component(name: string): SpecSchema {
  const schema = CRM_SPEC.schemas[name];
  if (!schema) throw new Error(`CRM_SPEC has no component ${name}`);
  return schema;
}

const objects = new Map<string, ObjectSchema>();

function fieldFor(raw: SpecSchema, required: boolean, owner: string, prop: string | undefined): FieldSpec {
  const { schema } = unwrap(raw);
  const at = prop === undefined ? undefined : `${owner}.${prop}`;
  if (schema.$ref) {
    const name = refName(schema.$ref);
    const target = component(name);
    if (target.enum) return { kind: 'enum', typeName: name, values: [...new Set(target.enum)], required };
    return { kind: 'object', schema: objectSchema(name), required };
  }
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case 'object': {
      if (!schema.properties && schema.additionalProperties && typeof schema.additionalProperties === 'object') {
        return { kind: 'map', values: fieldFor(schema.additionalProperties, false, owner, undefined), required };
      }
      return { kind: 'object', schema: buildObject(`${owner}${prop ? `.${prop}` : ''}`, schema), required };
    }
    case 'array': {
      const min = at ? MIN_ITEMS[at] : undefined;
      const spec: FieldSpec = { kind: 'array', items: fieldFor(schema.items ?? {}, true, owner, undefined), required };
      return min === undefined ? spec : { ...spec, minItems: min };
    }
    case 'string': {
      if (schema.enum) return { kind: 'enum', typeName: at ?? owner, values: [...new Set(schema.enum)], required };
      if (schema.format === 'date-time') return { kind: 'dateTime', required };
      if (schema.format === 'guid' || schema.format === 'uuid') return { kind: 'guid', required };
      const spec: { kind: 'string'; required: boolean; maxLength?: number; notBlank?: boolean } = { kind: 'string', required };
      const max = prop !== undefined && at !== undefined && !NO_MAX_LENGTH.has(at) ? MAX_LENGTH[prop] : undefined;
      if (max !== undefined) spec.maxLength = max;
      if (at !== undefined && NOT_BLANK.has(at)) spec.notBlank = true;
      return spec;
    }
    case 'integer':
      return schema.format === 'int32' ? { kind: 'int32', required } : { kind: 'int64', required };
    case 'number':
      return schema.format === 'decimal' ? { kind: 'double', decimal: true, required } : { kind: 'double', required };
    case 'boolean':
      return { kind: 'bool', required };
    case undefined:
      return { kind: 'unknown', required };
    default:
      throw new Error(`unsupported schema type ${String(type)} at ${at ?? owner}`);
  }
}

function buildObject(typeName: string, schema: SpecSchema, into?: ObjectSchema): ObjectSchema {
  const out: ObjectSchema = into ?? { typeName, fields: {} };
  const required = new Set(schema.required ?? []);
  for (const [prop, s] of Object.entries(schema.properties ?? {})) out.fields[prop] = fieldFor(s, required.has(prop), typeName, prop);
  if (TYPED_CONTACTS.has(typeName)) out.check = (v, report) => checkTypedValue(v, report);
  return out;
}

/** The request schema of a component (cached; cycles resolve to the same object). */
export function objectSchema(name: string): ObjectSchema {
  const cached = objects.get(name);
  if (cached) return cached;
  const out: ObjectSchema = { typeName: name, fields: {} };
  objects.set(name, out);
  return buildObject(name, component(name), out);
}

/** The JSON body schema of an operation, or undefined when it takes none. */
export function bodySchema(op: SpecOperation): ObjectSchema | undefined {
  return op.body === null ? undefined : objectSchema(op.body);
}

// Convert every request body once, at startup: a document the converter cannot read fails loudly
// here, and so does a sort field the sandbox cannot order by.
for (const op of CRM_SPEC.operations) {
  bodySchema(op);
  for (const field of op.sortFields ?? []) {
    if (!(SORTABLE_FIELDS as readonly string[]).includes(field.toLowerCase())) throw new Error(`${op.operationId}: the sandbox cannot sort by ${field}`);
  }
}
