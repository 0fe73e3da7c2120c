// Compares the client's operations table and zod schemas with the official CRM v2 document
// (tenant-crm-v2.json, Swagger 2.0) and the scopes of the 2026 OpenAPI copy. The comparison runs
// on JSON Schema produced from our zod schemas, so it sees exactly what the schemas accept.
import assert from 'node:assert/strict';
import { createHash, randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import * as z from 'zod';
import {
  CONTACT_TYPES,
  CRM_OPERATION_LIST,
  createContactRequest,
  createCustomerContactRequest,
  createContactMethodRequest,
  createLocationContactRequest,
  customerContactResponse,
  dateTime,
  type CrmOperation,
} from '../../../src/api/schemas';

// ---- loading the documents ---------------------------------------------------------------------

interface Schema {
  $ref?: string;
  type?: string | string[];
  format?: string;
  pattern?: string;
  enum?: unknown[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  allOf?: Schema[];
  anyOf?: Schema[];
  additionalProperties?: boolean | Schema;
  minimum?: number;
  exclusiveMinimum?: number;
}

interface Parameter {
  name: string;
  in: 'path' | 'query' | 'body' | 'header';
  required?: boolean;
  type?: string;
  format?: string;
  allOf?: Schema[];
  schema?: Schema;
}

interface SwaggerOperation {
  operationId: string;
  parameters?: Parameter[];
  responses: Record<string, { schema?: Schema }>;
}

interface Swagger {
  paths: Record<string, Record<string, SwaggerOperation>>;
  definitions: Record<string, Schema>;
}

interface OpenApi {
  paths: Record<string, Record<string, { operationId?: string; security?: { oauth?: string[] }[] }>>;
}

const ROOT = path.resolve(__dirname, '../../../..');
const OFFICIAL_SHA256 = 'd099ab2e6b021062e8a1fe1f9b7790e4e17f154efca3b819658a05433950917c';
const PRINTING_PRESS_SHA256 = '1253e60b3133d2d72eb1db74570ec237ad27ccb30b14bdcc6c16576bb63f9817';

function readVerified(file: string, sha256: string): string {
  const text = fs.readFileSync(file, 'utf8');
  assert.equal(createHash('sha256').update(text).digest('hex'), sha256, `${file} is not the byte-for-byte copy the tests were written against`);
  return text;
}

/** JSON Schema enum items must be unique; ContactType repeats `Phone`. Dedupe on load (membership unchanged). */
function dedupeEnums(node: unknown): void {
  if (Array.isArray(node)) {
    node.forEach(dedupeEnums);
  } else if (node && typeof node === 'object') {
    const record = node as Record<string, unknown>;
    if (Array.isArray(record.enum)) record.enum = [...new Set(record.enum)];
    Object.values(record).forEach(dedupeEnums);
  }
}

const rawOfficial = JSON.parse(readVerified(path.join(ROOT, 'test/node/sandbox/fixtures/tenant-crm-v2.json'), OFFICIAL_SHA256)) as Swagger;
const duplicatedBeforeDedupe = [...(rawOfficial.definitions['Crm.V2.ContactType']?.enum ?? [])];
const official = rawOfficial;
dedupeEnums(official);
const printingPress = JSON.parse(readVerified(path.join(ROOT, 'test/node/api/fixtures/printing-press-crm-v2-2026-05.json'), PRINTING_PRESS_SHA256)) as OpenApi;

function specPath(op: CrmOperation): string {
  return `/tenant/{tenant}${op.path}`;
}

function specOperation(op: CrmOperation): SwaggerOperation {
  const found = official.paths[specPath(op)]?.[op.method.toLowerCase()];
  assert.ok(found, `${op.method} ${specPath(op)} is not in the official document`);
  return found;
}

function definition(name: string): Schema {
  const def = official.definitions[name];
  assert.ok(def, `definition ${name} is missing from the official document`);
  return def;
}

/** Follows `$ref` and the `allOf: [{$ref}]` wrapper the document uses for enums and nested objects. */
function resolve(schema: Schema): Schema {
  if (schema.$ref) return resolve(definition(schema.$ref.replace('#/definitions/', '')));
  if (schema.allOf?.length === 1 && schema.allOf[0]) return resolve(schema.allOf[0]);
  return schema;
}

function jsonSchema(schema: z.ZodType): Schema {
  return z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Schema;
}

// ---- comparing a definition with our JSON Schema -----------------------------------------------

type Mode = 'request' | 'response';

/**
 * Required response fields that our schemas accept as null/absent on purpose, with why. Each
 * entry must really be required in the document, so a stale entry fails the test.
 */
const TOLERATED_MISSING: Record<string, string> = {
  'Crm.V2.Customers.CustomerResponse.externalData': 'null unless the query names an application GUID',
  'Crm.V2.Customers.CreatedCustomerResponse.externalData': 'null unless the request names an application GUID',
  'Crm.V2.Locations.LocationResponse.externalData': 'null unless the query names an application GUID',
  'Crm.V2.Locations.CreateLocationResponse.externalData': 'null unless the request names an application GUID',
  'Crm.V2.Customers.CustomerContactWithModifiedOnResponse.phoneSettings': 'e-mail contacts have no phone settings',
  'Crm.V2.LocationContactResponse.phoneSettings': 'e-mail contacts have no phone settings',
};

const LOCAL_DATE_TIME_PATTERN = jsonSchema(dateTime).pattern;

/** Splits `anyOf: [X, {type: null}]` (and `type: [X, 'null']`) into X and "accepts null". */
function unwrapNullable(ours: Schema): { schema: Schema; nullable: boolean } {
  if (ours.anyOf) {
    const rest = ours.anyOf.filter((s) => s.type !== 'null');
    if (rest.length === 1 && rest[0] && rest.length < ours.anyOf.length) return { schema: rest[0], nullable: true };
  }
  if (Array.isArray(ours.type) && ours.type.includes('null')) {
    const types = ours.type.filter((t) => t !== 'null');
    return { schema: { ...ours, type: types.length === 1 ? types[0] : types }, nullable: true };
  }
  return { schema: ours, nullable: false };
}

function sorted(values: Iterable<string>): string[] {
  return [...values].sort();
}

/** Every difference between a spec schema and ours, as `where: what` lines. */
function compare(spec: Schema, ours: Schema, mode: Mode, where: string, definitionName?: string): string[] {
  const problems: string[] = [];
  const ref = spec.$ref ?? (spec.allOf?.length === 1 ? spec.allOf[0]?.$ref : undefined);
  const name = ref ? ref.replace('#/definitions/', '') : definitionName;
  const s = resolve(spec);
  const { schema: o } = unwrapNullable(ours);

  if (s.properties || s.type === 'object') {
    if (o.type !== 'object' || !o.properties) return [`${where}: expected an object, ours is ${JSON.stringify(o.type)}`];
    const specKeys = sorted(Object.keys(s.properties ?? {}));
    const ourKeys = sorted(Object.keys(o.properties));
    const missing = specKeys.filter((k) => !ourKeys.includes(k));
    const extra = ourKeys.filter((k) => !specKeys.includes(k));
    if (missing.length) problems.push(`${where}: missing properties ${missing.join(', ')}`);
    if (extra.length) problems.push(`${where}: properties not in the spec ${extra.join(', ')}`);

    const specRequired = sorted(s.required ?? []);
    const ourRequired = sorted(o.required ?? []);
    if (mode === 'request') {
      if (JSON.stringify(specRequired) !== JSON.stringify(ourRequired)) problems.push(`${where}: required ${JSON.stringify(ourRequired)}, spec ${JSON.stringify(specRequired)}`);
      if (o.additionalProperties !== false) problems.push(`${where}: a request object must reject unknown keys`);
    } else {
      const tolerated = specRequired.filter((k) => name !== undefined && `${name}.${k}` in TOLERATED_MISSING);
      const expected = specRequired.filter((k) => !tolerated.includes(k));
      if (JSON.stringify(expected) !== JSON.stringify(ourRequired)) problems.push(`${where}: required ${JSON.stringify(ourRequired)}, expected ${JSON.stringify(expected)}`);
      if (o.additionalProperties === false) problems.push(`${where}: a response object must tolerate unknown keys`);
      for (const key of specRequired) {
        if (expected.includes(key) && o.properties[key] && unwrapNullable(o.properties[key]).nullable) problems.push(`${where}.${key}: required in the spec but ours accepts null`);
      }
    }
    for (const key of specKeys) {
      const sp = s.properties?.[key];
      const op = o.properties[key];
      if (sp && op) problems.push(...compare(sp, op, mode, `${where}.${key}`));
    }
    return problems;
  }

  if (s.type === 'array') {
    if (o.type !== 'array' || !o.items || !s.items) return [`${where}: expected an array, ours is ${JSON.stringify(o.type)}`];
    return compare(s.items, o.items, mode, `${where}[]`);
  }

  if (s.enum) {
    if (!o.enum) return [`${where}: expected enum ${JSON.stringify(s.enum)}, ours has none`];
    if (JSON.stringify(sorted(o.enum.map(String))) !== JSON.stringify(sorted(s.enum.map(String)))) {
      problems.push(`${where}: enum ${JSON.stringify(o.enum)}, spec ${JSON.stringify(s.enum)}`);
    }
    return problems;
  }

  return primitiveProblems(s.type, s.format, o, where);
}

/** Type and id/date formats of a scalar: int64 ids must be integers, guid ids GUID strings. */
function primitiveProblems(type: string | string[] | undefined, format: string | undefined, ours: Schema, where: string): string[] {
  const o = unwrapNullable(ours).schema;
  switch (type) {
    case 'integer':
      return o.type === 'integer' ? [] : [`${where}: ${format ?? 'integer'} in the spec, ours is ${JSON.stringify(o.type ?? o)}`];
    case 'number':
      return o.type === 'number' || o.type === 'integer' ? [] : [`${where}: number in the spec, ours is ${JSON.stringify(o.type)}`];
    case 'boolean':
      return o.type === 'boolean' ? [] : [`${where}: boolean in the spec, ours is ${JSON.stringify(o.type)}`];
    case 'string':
      if (o.type !== 'string') return [`${where}: string in the spec, ours is ${JSON.stringify(o.type)}`];
      if (format === 'guid' && o.format !== 'uuid') return [`${where}: guid in the spec, ours does not check GUIDs`];
      if (format === 'date-time' && o.format !== 'date-time' && o.pattern !== LOCAL_DATE_TIME_PATTERN) return [`${where}: date-time in the spec, ours does not check dates`];
      if (format !== 'guid' && o.format === 'uuid') return [`${where}: ours wants a GUID, the spec says ${format ?? 'string'}`];
      return [];
    default:
      return [`${where}: unhandled spec type ${JSON.stringify(type)}`];
  }
}

/** Query and path parameters: the types we accept must be the spec's (lists and enums allowed where the spec has a string). */
function parameterProblems(param: Parameter, ours: Schema, where: string): string[] {
  const o = unwrapNullable(ours).schema;
  if (param.allOf) return compare({ allOf: param.allOf }, o, 'request', where);
  const variants = o.anyOf ?? [o];
  if (param.type === 'string' && !param.format) {
    // e.g. `ids=1,2,3` (a list of int64 or a string), `isArchived` (bound as a bool by ServiceTitan), `typeSlug` (enum).
    return variants.some((v) => v.type === 'string' || v.type === 'array' || v.type === 'boolean') ? [] : [`${where}: string in the spec, ours is ${JSON.stringify(o)}`];
  }
  return primitiveProblems(param.type, param.format, o, where);
}

// ---- example objects shaped like a definition --------------------------------------------------

type Fill = 'all' | 'required' | 'nulls';

/** A value for `schema` as the spec describes it: every property ('all'), only required ones, or optional ones null (as the live API sends). */
function example(schema: Schema, fill: Fill): unknown {
  const s = resolve(schema);
  if (s.enum) return s.enum[0];
  if (s.properties || s.type === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, prop] of Object.entries(s.properties ?? {})) {
      const required = s.required?.includes(key) ?? false;
      if (required || fill === 'all') out[key] = example(prop, fill);
      else if (fill === 'nulls') out[key] = null;
    }
    return out;
  }
  switch (s.type) {
    case 'array':
      return s.items ? [example(s.items, fill)] : [];
    case 'integer':
      return 42;
    case 'number':
      return 12.5;
    case 'boolean':
      return true;
    case 'string':
      if (s.format === 'guid') return randomUUID();
      if (s.format === 'date-time') return '2024-05-01T12:34:56.1234567Z';
      return 'text';
    default:
      return null;
  }
}

// ---- the tests ---------------------------------------------------------------------------------

void describe('the official document', () => {
  void it('lists Phone twice in Crm.V2.ContactType; deduped it is our four contact types', () => {
    assert.deepEqual(duplicatedBeforeDedupe, ['Phone', 'Phone', 'Email', 'Fax', 'MobilePhone']);
    assert.deepEqual(sorted(official.definitions['Crm.V2.ContactType']?.enum?.map(String) ?? []), sorted(CONTACT_TYPES));
  });

  void it('every schema that uses ContactType validates for real (accepts each type, rejects LandlinePhone and others)', () => {
    for (const schema of [createCustomerContactRequest, createLocationContactRequest, createContactMethodRequest]) {
      for (const type of CONTACT_TYPES) assert.ok(schema.safeParse({ type, value: 'x' }).success, `${type} rejected`);
      for (const type of ['LandlinePhone', 'phone', 'Pager', 0, null]) assert.equal(schema.safeParse({ type, value: 'x' }).success, false, `${String(type)} accepted`);
    }
    assert.ok(customerContactResponse.safeParse({ ...(example(definition('Crm.V2.Customers.CustomerContactWithModifiedOnResponse'), 'all') as object), type: 'MobilePhone' }).success);
    assert.equal(customerContactResponse.safeParse({ ...(example(definition('Crm.V2.Customers.CustomerContactWithModifiedOnResponse'), 'all') as object), type: 'LandlinePhone' }).success, false);
  });
});

void describe('operations table against tenant-crm-v2.json', () => {
  void it('covers the operations the client promises, each once', () => {
    const ids = CRM_OPERATION_LIST.map((op) => op.operationId);
    assert.equal(new Set(ids).size, ids.length);
    assert.equal(new Set(CRM_OPERATION_LIST.map((op) => op.clientMethod)).size, ids.length);
    assert.deepEqual(sorted(ids), sorted([
      'Customers_GetList', 'Customers_Get', 'Customers_Create', 'Customers_Update',
      'Customers_GetContactList', 'Customers_CreateContact', 'Customers_UpdateContact', 'Customers_DeleteContact',
      'Contacts_GetList', 'Contacts_Get', 'Contacts_Create', 'Contacts_Update', 'Contacts_Replace', 'Contacts_DeleteContact',
      'Contacts_GetContactRelationshipList', 'Contacts_CreateContactRelationship', 'Contacts_DeleteContactRelationship', 'Contacts_GetByRelationshipId',
      'ContactMethods_GetContactMethods', 'ContactMethods_GetContactMethod', 'ContactMethods_CreateContactMethod',
      'ContactMethods_UpsertContactMethod', 'ContactMethods_UpdateContactMethod', 'ContactMethods_DeleteContactMethod',
      'Locations_GetList', 'Locations_Get',
      'Locations_GetContactList', 'Locations_CreateContact', 'Locations_UpdateContact', 'Locations_DeleteContact',
    ]));
  });

  for (const op of CRM_OPERATION_LIST) {
    void describe(`${op.operationId} (${op.method} ${op.path})`, () => {
      void it('exists in the document with this method, path and operationId', () => {
        assert.equal(specOperation(op).operationId, op.operationId);
      });

      void it('uses the OAuth scope the 2026 document names', () => {
        const security = printingPress.paths[specPath(op)]?.[op.method.toLowerCase()]?.security ?? [];
        assert.deepEqual(security.flatMap((s) => s.oauth ?? []), [op.scope]);
      });

      void it('has the path parameters of the spec with matching int64/guid formats', () => {
        const params = (specOperation(op).parameters ?? []).filter((p) => p.in === 'path' && p.name !== 'tenant');
        assert.deepEqual(sorted(Object.keys(op.pathParams)), sorted(params.map((p) => p.name)));
        assert.deepEqual(sorted(op.path.match(/\{(\w+)\}/g)?.map((m) => m.slice(1, -1)) ?? []), sorted(params.map((p) => p.name)));
        const problems = params.flatMap((p) => {
          const ours = op.pathParams[p.name];
          return ours ? parameterProblems(p, jsonSchema(ours), `path.${p.name}`) : [];
        });
        assert.deepEqual(problems, []);
      });

      void it('has exactly the query parameters of the spec', () => {
        const params = (specOperation(op).parameters ?? []).filter((p) => p.in === 'query');
        const ours = op.query ? jsonSchema(op.query) : undefined;
        assert.deepEqual(sorted(Object.keys(ours?.properties ?? {})), sorted(params.map((p) => p.name)));
        if (ours) {
          assert.equal(ours.additionalProperties, false, 'unknown query keys must be rejected');
          assert.deepEqual(ours.required ?? [], [], 'no query parameter is required');
        }
        const problems = params.flatMap((p) => {
          const schema = ours?.properties?.[p.name];
          return schema ? parameterProblems(p, schema, `query.${p.name}`) : [];
        });
        assert.deepEqual(problems, []);
      });

      void it('has the request body of the spec: same keys, same required list, unknown keys rejected', () => {
        const bodyParam = (specOperation(op).parameters ?? []).find((p) => p.in === 'body');
        assert.equal(op.body?.definition, bodyParam?.schema?.$ref?.replace('#/definitions/', ''));
        if (!op.body || !bodyParam?.schema) return;
        const ours = jsonSchema(op.body.schema);
        assert.deepEqual(compare(bodyParam.schema, ours, 'request', op.body.definition), []);
        // The value checks refine but never reshape the spec's request.
        if (op.checkedBody) assert.deepEqual(jsonSchema(op.checkedBody), ours);

        const spec = definition(op.body.definition);
        const full = example(spec, 'all') as Record<string, unknown>;
        assert.ok(op.body.schema.safeParse(full).success, `a body with every spec property is rejected: ${JSON.stringify(op.body.schema.safeParse(full).error?.issues)}`);
        assert.ok(op.body.schema.safeParse(example(spec, 'required')).success, 'a body with only the required properties is rejected');
        assert.equal(op.body.schema.safeParse({ ...full, notInTheSpec: 1 }).success, false, 'unknown key accepted');
        for (const key of spec.required ?? []) {
          const without = { ...full };
          delete without[key];
          const result = op.body.schema.safeParse(without);
          assert.equal(result.success, false, `accepted without required ${key}`);
          assert.deepEqual(result.error?.issues.map((i) => i.path.join('.')), [key]);
        }
      });

      void it('has the response of the spec: every property, int64/guid/date-time formats, tolerant of new fields', () => {
        const response = specOperation(op).responses['200'];
        assert.ok(response, 'no 200 response in the spec');
        assert.equal(op.response.definition, response.schema?.$ref?.replace('#/definitions/', '') ?? null);
        if (!op.response.definition || !response.schema) return;
        assert.deepEqual(compare(response.schema, jsonSchema(op.response.schema), 'response', op.response.definition), []);
        if (op.item) assert.deepEqual(compare({ $ref: `#/definitions/${op.item.definition}` }, jsonSchema(op.item.schema), 'response', op.item.definition), []);

        const spec = definition(op.response.definition);
        for (const fill of ['all', 'required', 'nulls'] as const) {
          const result = op.response.schema.safeParse(example(spec, fill));
          assert.ok(result.success, `${fill}: ${JSON.stringify(result.error?.issues)}`);
        }
        const withNewField = op.response.schema.safeParse({ ...(example(spec, 'all') as object), addedIn2027: { x: 1 } });
        assert.ok(withNewField.success);
        assert.deepEqual((withNewField.data as Record<string, unknown>).addedIn2027, { x: 1 });
      });
    });
  }

  void it('tolerates missing values only for fields the spec really requires', () => {
    for (const entry of Object.keys(TOLERATED_MISSING)) {
      const dot = entry.lastIndexOf('.');
      const def = definition(entry.slice(0, dot));
      assert.ok(def.required?.includes(entry.slice(dot + 1)), `${entry} is not required in the spec; drop it from TOLERATED_MISSING`);
    }
  });
});

void describe('the comparison itself can fail', () => {
  const contactSpec: Schema = { $ref: '#/definitions/Crm.V2.ContactResponse' };
  const good = z.looseObject({
    id: z.guid(),
    referenceId: z.string().nullish(),
    name: z.string().nullish(),
    title: z.string().nullish(),
    isArchived: z.boolean(),
    createdOn: dateTime,
    createdBy: z.number().int(),
    modifiedOn: dateTime,
    modifiedBy: z.number().int(),
  });

  void it('accepts a faithful schema', () => {
    assert.deepEqual(compare(contactSpec, jsonSchema(good), 'response', 'c'), []);
  });

  void it('reports a missing property, an extra one, a wrong id format, a lost date check and a relaxed required field', () => {
    const bad = good.omit({ title: true }).extend({ id: z.number().int(), extra: z.string(), createdOn: z.string(), isArchived: z.boolean().nullish() });
    const problems = compare(contactSpec, jsonSchema(bad), 'response', 'c');
    assert.ok(problems.some((p) => p.includes('missing properties title')), problems.join('\n'));
    assert.ok(problems.some((p) => p.includes('not in the spec extra')), problems.join('\n'));
    assert.ok(problems.some((p) => p.startsWith('c.id: string in the spec')), problems.join('\n'));
    assert.ok(problems.some((p) => p.startsWith('c.createdOn: date-time')), problems.join('\n'));
    assert.ok(problems.some((p) => p.includes('required [') && p.includes('expected')), problems.join('\n'));
  });

  void it('reports a request that is loose, has a different required list or a wrong enum', () => {
    const spec: Schema = { $ref: '#/definitions/Crm.V2.Customers.CreateCustomerContactRequest' };
    assert.deepEqual(compare(spec, jsonSchema(createCustomerContactRequest), 'request', 'r'), []);
    const loose = z.looseObject(createCustomerContactRequest.shape);
    assert.ok(compare(spec, jsonSchema(loose), 'request', 'r').some((p) => p.includes('reject unknown keys')));
    const optionalValue = createCustomerContactRequest.extend({ value: z.string().optional() });
    assert.ok(compare(spec, jsonSchema(optionalValue), 'request', 'r').some((p) => p.includes('required')));
    const landline = createCustomerContactRequest.extend({ type: z.enum(['Phone', 'LandlinePhone', 'Email', 'Fax', 'MobilePhone']) });
    assert.ok(compare(spec, jsonSchema(landline), 'request', 'r').some((p) => p.includes('enum')));
    assert.ok(compare({ $ref: '#/definitions/Crm.V2.CreateContactRequest' }, jsonSchema(createContactRequest.extend({ isArchived: z.boolean() })), 'request', 'r').length > 0);
  });
});
