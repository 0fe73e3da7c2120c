// Request validation schemas, converted once from CRM_SPEC (the 2026 document's JSON Schemas) into
// the sandbox's FieldSpec/ObjectSchema, plus what the document cannot say, written once here:
// the sandbox's length limits, non-blank names and values, the contact value checks by type,
// minItems, and the query overlay (paging ranges, id lists, enums the document types as plain
// strings, sort fields).
import { CRM_SPEC } from './generated/spec.gen';
import type { SpecOperation, SpecSchema } from './specTypes';
import { CONTACT_TYPES } from './types';
import { checkTypedValue, type FieldSpec, type ObjectSchema } from './validation';

const REF_PREFIX = '#/components/schemas/';
export const NAME_MAX = 255;
export const VALUE_MAX = 255;
export const MEMO_MAX = 255;
export const NOTE_MAX = 10_000;

// ---- the overlay --------------------------------------------------------------------------------
/** Maximum string lengths by property name, in every request definition (the README's limits). */
const MAX_LENGTH: Record<string, number> = {
  name: NAME_MAX, value: VALUE_MAX, memo: MEMO_MAX, title: 100, referenceId: 100, key: 255, text: NOTE_MAX,
  street: 255, unit: 64, city: 100, state: 64, zip: 20, country: 64,
};
/** Properties whose name matches MAX_LENGTH but which are free text without the sandbox limit. */
const NO_MAX_LENGTH = new Set([
  'Crm.V2.ExternalDataModel.value', 'Crm.V2.ExternalDataUpdateModel.value', 'Crm.V2.Customers.CustomFieldUpdateModel.value',
]);
/** Optional strings that must not be blank when they are sent. */
const NOT_BLANK = new Set([
  'Crm.V2.Customers.UpdateCustomerRequest.name', 'Crm.V2.Locations.UpdateLocationRequest.name',
  'Crm.V2.CreateContactRequest.name', 'Crm.V2.UpdateContactRequest.name', 'Crm.V2.ReplaceContactRequest.name',
  'Crm.V2.UpdateContactMethodRequest.value', 'Crm.V2.Customers.UpdateCustomerContactRequest.value',
  'Crm.V2.LocationContactUpdateRequest.value', 'Crm.V2.UpdateBookingContactRequest.value',
]);
/** { type, value } definitions whose value must suit the type (checkTypedValue). */
const TYPED_CONTACTS = new Set([
  'Crm.V2.Customers.NewCustomerContact', 'Crm.V2.Customers.CreateCustomerContactRequest', 'Crm.V2.Customers.UpdateCustomerContactRequest',
  'Crm.V2.LocationContactCreateRequest', 'Crm.V2.LocationContactUpdateRequest', 'Crm.V2.CreateContactMethodRequest',
  'Crm.V2.UpsertContactMethodRequest', 'Crm.V2.BookingContactModel', 'Crm.V2.UpdateBookingContactRequest',
]);
/** A ServiceTitan customer always has at least one service location. */
const MIN_ITEMS: Record<string, number> = { 'Crm.V2.Customers.CreateCustomerRequest.locations': 1 };

export type QueryRule =
  | { kind: 'range'; min: number; max: number }
  | { kind: 'idList'; max: number }
  | { kind: 'values'; values: readonly string[] }
  | { kind: 'bool' }
  | { kind: 'sort'; fields: readonly string[] };

/** Query rules by parameter name (every operation), or `operationId.parameter`. */
const QUERY_RULES: Record<string, QueryRule> = {
  page: { kind: 'range', min: 1, max: 2147483647 },
  pageSize: { kind: 'range', min: 1, max: 5000 },
  ids: { kind: 'idList', max: 50 },
  customerIds: { kind: 'idList', max: 50 },
  locationIds: { kind: 'idList', max: 50 },
  active: { kind: 'values', values: ['True', 'Any', 'False'] },
  'Contacts_GetList.isArchived': { kind: 'bool' },
  'Contacts_GetByRelationshipId.isArchived': { kind: 'bool' },
  'ContactMethods_GetContactMethods.type': { kind: 'values', values: CONTACT_TYPES },
  'Contacts_SearchContactMethods.type': { kind: 'values', values: CONTACT_TYPES },
  'Customers_GetList.sort': { kind: 'sort', fields: ['Id', 'ModifiedOn', 'CreatedOn'] },
  'Locations_GetList.sort': { kind: 'sort', fields: ['Id'] },
  'Contacts_GetList.sort': { kind: 'sort', fields: ['Id'] },
  'Contacts_GetByRelationshipId.sort': { kind: 'sort', fields: ['Id'] },
  'Contacts_GetContactRelationshipList.sort': { kind: 'sort', fields: ['Id'] },
  'ContactMethods_GetContactMethods.sort': { kind: 'sort', fields: ['Id'] },
  'Contacts_SearchContactMethods.sort': { kind: 'sort', fields: ['Id', 'CreatedOn', 'ModifiedOn'] },
  'Customers_GetCustomFieldTypes.sort': { kind: 'sort', fields: ['Id', 'CreatedOn', 'ModifiedOn'] },
  'Locations_GetCustomFieldTypes.sort': { kind: 'sort', fields: ['Id', 'CreatedOn', 'ModifiedOn'] },
};

export function queryRule(operationId: string, parameter: string): QueryRule | undefined {
  return QUERY_RULES[`${operationId}.${parameter}`] ?? QUERY_RULES[parameter];
}

// ---- conversion ---------------------------------------------------------------------------------
const refName = (ref: string): string => {
  if (!ref.startsWith(REF_PREFIX)) throw new Error(`unsupported $ref ${ref}`);
  return ref.slice(REF_PREFIX.length);
};

/** The document's nullable spellings: `type: [t, 'null']`, `oneOf: [{$ref}, {type: 'null'}]`, `oneOf: [{$ref}]`. */
export function unwrap(schema: SpecSchema): { schema: SpecSchema; nullable: boolean } {
  if (schema.oneOf) {
    const refs = schema.oneOf.filter((s) => s.$ref !== undefined);
    const nulls = schema.oneOf.filter((s) => s.type === 'null');
    if (refs.length !== 1 || refs.length + nulls.length !== schema.oneOf.length) throw new Error(`unsupported oneOf ${JSON.stringify(schema.oneOf)}`);
    return { schema: refs[0] as SpecSchema, nullable: nulls.length > 0 };
  }
  if (Array.isArray(schema.type)) {
    const types = schema.type.filter((t) => t !== 'null');
    if (types.length !== 1) throw new Error(`unsupported type ${JSON.stringify(schema.type)}`);
    return { schema: { ...schema, type: types[0] }, nullable: types.length < schema.type.length };
  }
  return { schema, nullable: schema.nullable === true };
}

export function component(name: string): SpecSchema {
  const s = CRM_SPEC.schemas[name];
  if (!s) throw new Error(`CRM_SPEC has no component ${name}`);
  return s;
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
      if (at !== undefined && (NOT_BLANK.has(at) || (TYPED_CONTACTS.has(owner) && prop === 'value'))) spec.notBlank = true;
      return spec;
    }
    case 'integer': return schema.format === 'int32' ? { kind: 'int32', required } : { kind: 'int64', required };
    case 'number': return schema.format === 'decimal' ? { kind: 'double', decimal: true, required } : { kind: 'double', required };
    case 'boolean': return { kind: 'bool', required };
    case undefined: return { kind: 'unknown', required };
    default: throw new Error(`unsupported schema type ${String(type)} at ${at ?? owner}`);
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

export function operation(operationId: string): SpecOperation {
  const op = CRM_SPEC.operations.find((o) => o.operationId === operationId);
  if (!op) throw new Error(`CRM_SPEC has no operation ${operationId}`);
  return op;
}

// Convert every request body once, at startup: a document the converter cannot read fails loudly here.
for (const op of CRM_SPEC.operations) bodySchema(op);
