// Compares the client's operations table and zod schemas with the official CRM v2 document: all 86
// operations of the 2026 OpenAPI 3.1 file (openapi/tenant-crm-v2.2026-05.json), walked from the
// document's side, so an operation the table lacks fails too. The comparison runs on JSON Schema
// produced from our zod schemas (z.toJSONSchema), so it sees exactly what the schemas accept, overlay
// included. The 2025 Swagger document is used only to cross-check that nothing it had is gone.
import assert from 'node:assert/strict';
import { createHash, randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import * as z from 'zod';
import {
  CONTACT_TYPES,
  CRM_OPERATIONS,
  CRM_OPERATION_LIST,
  createContactMethodRequest,
  createContactRequest,
  createCustomerContactRequest,
  createLocationContactRequest,
  customerContactResponse,
  dateTime,
  isCrmOperationId,
  type CrmOperation,
} from '../../../src/api/schemas';

// ---- loading the documents ---------------------------------------------------------------------

interface Schema {
  $ref?: string;
  type?: string | string[];
  format?: string;
  pattern?: string;
  enum?: unknown[];
  nullable?: boolean;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  oneOf?: Schema[];
  anyOf?: Schema[];
  allOf?: Schema[];
  additionalProperties?: boolean | Schema;
}

interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header';
  required?: boolean;
  description?: string;
  schema: Schema;
}

interface Operation {
  operationId: string;
  parameters?: Parameter[];
  requestBody?: { required?: boolean; content: Record<string, { schema: Schema }> };
  responses: Record<string, { content?: Record<string, { schema: Schema }> }>;
  security?: { oauth?: string[] }[];
}

interface OpenApi {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema> };
}

interface Swagger {
  paths: Record<string, Record<string, { operationId: string }>>;
}

const ROOT = path.resolve(__dirname, '../../../..');
const DOCUMENT_SHA256 = '1253e60b3133d2d72eb1db74570ec237ad27ccb30b14bdcc6c16576bb63f9817';
const SWAGGER_2025_SHA256 = 'd099ab2e6b021062e8a1fe1f9b7790e4e17f154efca3b819658a05433950917c';
const HTTP_METHODS = ['get', 'post', 'put', 'patch', 'delete'];

function readVerified(file: string, sha256: string): string {
  const text = fs.readFileSync(file, 'utf8');
  assert.equal(createHash('sha256').update(text).digest('hex'), sha256, `${file} is not the byte-for-byte copy the tests were written against`);
  return text;
}

const doc = JSON.parse(readVerified(path.join(ROOT, 'openapi/tenant-crm-v2.2026-05.json'), DOCUMENT_SHA256)) as OpenApi;
const swagger2025 = JSON.parse(readVerified(path.join(ROOT, 'test/node/sandbox/fixtures/tenant-crm-v2.json'), SWAGGER_2025_SHA256)) as Swagger;
const overlay = JSON.parse(fs.readFileSync(path.join(ROOT, 'openapi/overlay.json'), 'utf8')) as { nullableInResponses: Record<string, string> };

interface DocOperation {
  method: string;
  path: string;
  op: Operation;
}
const documentOperations: DocOperation[] = Object.entries(doc.paths).flatMap(([p, item]) =>
  HTTP_METHODS.filter((m) => item[m]).map((m) => ({ method: m.toUpperCase(), path: p.replace(/^\/tenant\/\{tenant\}/, ''), op: item[m] as Operation })),
);

function definition(name: string): Schema {
  const def = doc.components.schemas[name];
  assert.ok(def, `component ${name} is missing from the document`);
  return def;
}

const refName = (ref: string): string => ref.replace('#/components/schemas/', '');

/** Follows `$ref` and the document's `oneOf: [{$ref}]` / `[{$ref}, {type: null}]` wrappers; says whether null is allowed. */
function resolve(schema: Schema): { schema: Schema; nullable: boolean; name?: string } {
  if (schema.$ref) {
    const inner = resolve(definition(refName(schema.$ref)));
    return { ...inner, name: inner.name ?? refName(schema.$ref) };
  }
  if (schema.oneOf) {
    const refs = schema.oneOf.filter((s) => s.type !== 'null');
    assert.equal(refs.length, 1, `unexpected oneOf ${JSON.stringify(schema.oneOf)}`);
    const inner = resolve(refs[0] as Schema);
    return { ...inner, nullable: inner.nullable || refs.length < schema.oneOf.length };
  }
  if (Array.isArray(schema.type)) {
    const types = schema.type.filter((t) => t !== 'null');
    return { schema: { ...schema, type: types[0] }, nullable: types.length < schema.type.length };
  }
  return { schema, nullable: schema.nullable === true };
}

function jsonSchema(schema: z.ZodType): Schema {
  return z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Schema;
}

/** Splits `anyOf: [X, {type: null}]` (and `type: [X, 'null']`) of our JSON Schema into X and "accepts null". */
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

const sorted = (values: Iterable<string>): string[] => [...values].sort();
const LOCAL_DATE_TIME_PATTERN = jsonSchema(dateTime).pattern;

// ---- comparing a definition with our JSON Schema -----------------------------------------------

type Mode = 'request' | 'response';

/** Every difference between a document schema and ours, as `where: what` lines. */
function compare(spec: Schema, ours: Schema, mode: Mode, where: string): string[] {
  const problems: string[] = [];
  const { schema: s, name } = resolve(spec);
  const { schema: o } = unwrapNullable(ours);

  if (s.properties || s.type === 'object') {
    if (!s.properties && typeof s.additionalProperties === 'object') {
      if (o.type !== 'object' || typeof o.additionalProperties !== 'object') return [`${where}: expected a map, ours is ${JSON.stringify(o)}`];
      return compare(s.additionalProperties, o.additionalProperties, mode, `${where}{}`);
    }
    if (o.type !== 'object') return [`${where}: expected an object, ours is ${JSON.stringify(o.type)}`];
    const specKeys = sorted(Object.keys(s.properties ?? {}));
    const ourKeys = sorted(Object.keys(o.properties ?? {}));
    const missing = specKeys.filter((k) => !ourKeys.includes(k));
    const extra = ourKeys.filter((k) => !specKeys.includes(k));
    if (missing.length) problems.push(`${where}: missing properties ${missing.join(', ')}`);
    if (extra.length) problems.push(`${where}: properties not in the document ${extra.join(', ')}`);

    const specRequired = sorted(s.required ?? []);
    const ourRequired = sorted(o.required ?? []);
    if (mode === 'request') {
      if (JSON.stringify(specRequired) !== JSON.stringify(ourRequired))
        problems.push(`${where}: required ${JSON.stringify(ourRequired)}, document ${JSON.stringify(specRequired)}`);
      if (o.additionalProperties !== false) problems.push(`${where}: a request object must reject unknown keys`);
    } else {
      const expected = specRequired.filter((k) => !(name !== undefined && `${name}.${k}` in overlay.nullableInResponses));
      if (JSON.stringify(expected) !== JSON.stringify(ourRequired))
        problems.push(`${where}: required ${JSON.stringify(ourRequired)}, expected ${JSON.stringify(expected)}`);
      if (o.additionalProperties === false) problems.push(`${where}: a response object must tolerate unknown keys`);
    }
    for (const key of specKeys) {
      const sp = s.properties?.[key];
      const op = o.properties?.[key];
      if (!sp || !op) continue;
      const specNullable = resolve(sp).nullable;
      const oursNullable = unwrapNullable(op).nullable;
      const isRequired = ourRequired.includes(key);
      // Requests: null exactly where the document allows it. Responses: never null for a required field.
      if (mode === 'request' && specNullable !== oursNullable)
        problems.push(`${where}.${key}: document ${specNullable ? 'allows' : 'forbids'} null, ours ${oursNullable ? 'allows' : 'forbids'} it`);
      if (mode === 'response' && isRequired && !specNullable && oursNullable) problems.push(`${where}.${key}: required in the document but ours accepts null`);
      problems.push(...compare(sp, op, mode, `${where}.${key}`));
    }
    return problems;
  }

  if (s.type === 'array') {
    if (o.type !== 'array' || !o.items || !s.items) return [`${where}: expected an array, ours is ${JSON.stringify(o.type)}`];
    return compare(s.items, o.items, mode, `${where}[]`);
  }

  if (s.enum) {
    if (!o.enum) return [`${where}: expected enum ${JSON.stringify(s.enum)}, ours has none`];
    if (JSON.stringify(sorted(o.enum.map(String))) !== JSON.stringify(sorted([...new Set(s.enum.map(String))]))) {
      problems.push(`${where}: enum ${JSON.stringify(o.enum)}, document ${JSON.stringify(s.enum)}`);
    }
    return problems;
  }

  return primitiveProblems(typeof s.type === 'string' ? s.type : undefined, s.format, o, where);
}

/** Type and id/date formats of a scalar: int64 ids must be integers, guid ids GUID strings. */
function primitiveProblems(type: string | undefined, format: string | undefined, ours: Schema, where: string): string[] {
  const o = unwrapNullable(ours).schema;
  switch (type) {
    case 'integer':
      return o.type === 'integer' ? [] : [`${where}: ${format ?? 'integer'} in the document, ours is ${JSON.stringify(o.type ?? o)}`];
    case 'number':
      return o.type === 'number' || o.type === 'integer' ? [] : [`${where}: number in the document, ours is ${JSON.stringify(o.type)}`];
    case 'boolean':
      return o.type === 'boolean' ? [] : [`${where}: boolean in the document, ours is ${JSON.stringify(o.type)}`];
    case 'string':
      if (o.type !== 'string') return [`${where}: string in the document, ours is ${JSON.stringify(o.type)}`];
      if (format === 'guid' && o.format !== 'uuid') return [`${where}: guid in the document, ours does not check GUIDs`];
      if (format === 'date-time' && o.format !== 'date-time' && o.pattern !== LOCAL_DATE_TIME_PATTERN)
        return [`${where}: date-time in the document, ours does not check dates`];
      if (format !== 'guid' && o.format === 'uuid') return [`${where}: ours wants a GUID, the document says ${format ?? 'string'}`];
      return [];
    case undefined:
      return [];
    default:
      return [`${where}: unhandled document type ${JSON.stringify(type)}`];
  }
}

/** Query and path parameters: the types we accept must be the document's (lists, enums and booleans allowed where it says string). */
function parameterProblems(param: Parameter, ours: Schema, where: string): string[] {
  const { schema: s } = resolve(param.schema);
  const o = unwrapNullable(ours).schema;
  if (s.enum) return compare(param.schema, o, 'request', where);
  const variants = o.anyOf ?? [o];
  if (s.type === 'string' && !s.format) {
    // `ids=1,2,3` (a list of int64 or a string), `isArchived` (bound as a bool), `typeSlug` (an enum the prose names).
    return variants.some((v) => v.type === 'string' || v.type === 'array' || v.type === 'boolean')
      ? []
      : [`${where}: string in the document, ours is ${JSON.stringify(o)}`];
  }
  return primitiveProblems(typeof s.type === 'string' ? s.type : undefined, s.format, o, where);
}

// ---- example objects shaped like a definition --------------------------------------------------

type Fill = 'all' | 'required' | 'nulls';

/** A value as the document describes it: every property ('all'), only required ones, or optional ones null (as the live API sends). */
function example(schema: Schema, fill: Fill): unknown {
  const { schema: s } = resolve(schema);
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

/** Examples the overlay's value checks accept: a contact's value must suit its type. */
function plausible(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(plausible);
  if (!value || typeof value !== 'object') return value;
  const out = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plausible(v)]));
  if (typeof out.type === 'string' && (CONTACT_TYPES as readonly string[]).includes(out.type) && typeof out.value === 'string') {
    out.value = out.type === 'Email' ? 'kelly@example.com' : '(555) 123-4567';
  }
  return out;
}

function ours(id: string): CrmOperation {
  assert.ok(isCrmOperationId(id), `${id} is not in the client's operations table`);
  return CRM_OPERATIONS[id];
}

// ---- the tests ---------------------------------------------------------------------------------

void describe('the document and the 2025 one', () => {
  void it('has 86 operations, and the table has each once under its operationId', () => {
    assert.equal(documentOperations.length, 86);
    assert.deepEqual(sorted(CRM_OPERATION_LIST.map((op) => op.operationId)), sorted(documentOperations.map((d) => d.op.operationId)));
  });

  void it('keeps every operation of the 2025 Swagger document, with the same method and path', () => {
    const missing: string[] = [];
    for (const [p, item] of Object.entries(swagger2025.paths)) {
      for (const [m, op] of Object.entries(item)) {
        if (!HTTP_METHODS.includes(m)) continue;
        const now = doc.paths[p]?.[m];
        if (now?.operationId !== op.operationId) missing.push(`${m.toUpperCase()} ${p} ${op.operationId}`);
      }
    }
    assert.deepEqual(missing, []);
  });

  void it('ContactType has the four wire values (no duplicate Phone), and every schema using it validates for real', () => {
    assert.deepEqual(sorted(definition('Crm.V2.ContactType').enum?.map(String) ?? []), sorted(CONTACT_TYPES));
    for (const schema of [createCustomerContactRequest, createLocationContactRequest, createContactMethodRequest]) {
      for (const type of CONTACT_TYPES) assert.ok(schema.safeParse(plausible({ type, value: 'x' })).success, `${type} rejected`);
      for (const type of ['LandlinePhone', 'phone', 'Pager', 0, null])
        assert.equal(schema.safeParse({ type, value: 'x' }).success, false, `${String(type)} accepted`);
    }
    const contact = example(definition('Crm.V2.Customers.CustomerContactWithModifiedOnResponse'), 'all') as object;
    assert.ok(customerContactResponse.safeParse({ ...contact, type: 'MobilePhone' }).success);
    assert.equal(customerContactResponse.safeParse({ ...contact, type: 'LandlinePhone' }).success, false);
  });

  void it('tolerates null only for response fields the document really requires (overlay.nullableInResponses)', () => {
    for (const entry of Object.keys(overlay.nullableInResponses)) {
      const dot = entry.lastIndexOf('.');
      assert.ok(definition(entry.slice(0, dot)).required?.includes(entry.slice(dot + 1)), `${entry} is not required in the document; drop it from the overlay`);
    }
  });
});

void describe('operations table against the 2026 document', () => {
  for (const { method, path: opPath, op: specOp } of documentOperations) {
    void describe(`${specOp.operationId} (${method} ${opPath})`, () => {
      void it('has this method, path and OAuth scope', () => {
        const op = ours(specOp.operationId);
        assert.equal(op.method, method);
        assert.equal(op.path, opPath);
        assert.deepEqual(
          [op.scope],
          (specOp.security ?? []).flatMap((s) => s.oauth ?? []),
        );
      });

      void it('has the path parameters of the document with matching int64/guid formats', () => {
        const op = ours(specOp.operationId);
        const params = (specOp.parameters ?? []).filter((p) => p.in === 'path' && p.name !== 'tenant');
        assert.deepEqual(sorted(Object.keys(op.pathParams)), sorted(params.map((p) => p.name)));
        assert.deepEqual(sorted(op.path.match(/\{(\w+)\}/g)?.map((m) => m.slice(1, -1)) ?? []), sorted(params.map((p) => p.name)));
        const problems = params.flatMap((p) => {
          const schema = op.pathParams[p.name];
          return schema ? parameterProblems(p, jsonSchema(schema), `path.${p.name}`) : [];
        });
        assert.deepEqual(problems, []);
      });

      void it('has exactly the query parameters of the document, unknown ones rejected', () => {
        const op = ours(specOp.operationId);
        const params = (specOp.parameters ?? []).filter((p) => p.in === 'query');
        const schema = jsonSchema(op.query);
        assert.deepEqual(sorted(Object.keys(schema.properties ?? {})), sorted(params.map((p) => p.name)));
        assert.equal(schema.additionalProperties, false, 'unknown query keys must be rejected');
        assert.deepEqual(sorted(schema.required ?? []), sorted(params.filter((p) => p.required).map((p) => p.name)));
        const problems = params.flatMap((p) => {
          const prop = schema.properties?.[p.name];
          return prop ? parameterProblems(p, prop, `query.${p.name}`) : [];
        });
        assert.deepEqual(problems, []);
      });

      void it('has the request body of the document: same keys, required list and nulls, unknown keys rejected', () => {
        const op = ours(specOp.operationId);
        const specBody = specOp.requestBody?.content['application/json']?.schema;
        assert.equal(op.body?.definition, specBody?.$ref ? refName(specBody.$ref) : undefined);
        if (!op.body || !specBody) return;
        assert.deepEqual(compare(specBody, jsonSchema(op.body.schema), 'request', op.body.definition), []);

        const spec = definition(op.body.definition);
        const full = plausible(example(spec, 'all')) as Record<string, unknown>;
        const parsed = op.body.schema.safeParse(full);
        assert.ok(parsed.success, `a body with every property is rejected: ${JSON.stringify(parsed.error?.issues)}`);
        assert.ok(op.body.schema.safeParse(plausible(example(spec, 'required'))).success, 'a body with only the required properties is rejected');
        assert.equal(op.body.schema.safeParse({ ...full, notInTheDocument: 1 }).success, false, 'unknown key accepted');
        for (const key of spec.required ?? []) {
          const without = { ...full };
          delete without[key];
          const result = op.body.schema.safeParse(without);
          assert.equal(result.success, false, `accepted without required ${key}`);
          assert.deepEqual(
            result.error?.issues.map((i) => i.path.join('.')),
            [key],
          );
        }
      });

      void it('has the response of the document: every property, int64/guid/date-time formats, tolerant of new fields', () => {
        const op = ours(specOp.operationId);
        const specResponse = specOp.responses['200']?.content?.['application/json']?.schema;
        assert.equal(op.response.definition, specResponse?.$ref ? refName(specResponse.$ref) : null);
        if (!specResponse) {
          assert.ok(op.response.schema.safeParse(undefined).success, 'a 200 without a body must parse');
          return;
        }
        assert.deepEqual(compare(specResponse, jsonSchema(op.response.schema), 'response', op.response.definition ?? 'inline'), []);
        if (op.item)
          assert.deepEqual(compare({ $ref: `#/components/schemas/${op.item.definition}` }, jsonSchema(op.item.schema), 'response', op.item.definition), []);

        for (const fill of ['all', 'required', 'nulls'] as const) {
          const result = op.response.schema.safeParse(example(specResponse, fill));
          assert.ok(result.success, `${fill}: ${JSON.stringify(result.error?.issues)}`);
        }
        const full = example(specResponse, 'all');
        if (full && typeof full === 'object' && !Array.isArray(full)) {
          const withNewField = op.response.schema.safeParse({ ...full, addedIn2027: { x: 1 } });
          assert.ok(withNewField.success);
          assert.deepEqual((withNewField.data as Record<string, unknown>).addedIn2027, { x: 1 });
        }
      });
    });
  }
});

void describe('the comparison itself can fail', () => {
  const contactSpec: Schema = { $ref: '#/components/schemas/Crm.V2.ContactResponse' };
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
    assert.ok(
      problems.some((p) => p.includes('missing properties title')),
      problems.join('\n'),
    );
    assert.ok(
      problems.some((p) => p.includes('not in the document extra')),
      problems.join('\n'),
    );
    assert.ok(
      problems.some((p) => p.startsWith('c.id: string in the document')),
      problems.join('\n'),
    );
    assert.ok(
      problems.some((p) => p.startsWith('c.createdOn: date-time')),
      problems.join('\n'),
    );
    assert.ok(
      problems.some((p) => p.includes('required [') && p.includes('expected')),
      problems.join('\n'),
    );
  });

  void it('reports a request that is loose, has a different required list, a wrong null rule or a wrong enum', () => {
    const spec: Schema = { $ref: '#/components/schemas/Crm.V2.Customers.CreateCustomerContactRequest' };
    assert.deepEqual(compare(spec, jsonSchema(createCustomerContactRequest), 'request', 'r'), []);
    const loose = z.looseObject(createCustomerContactRequest.shape);
    assert.ok(compare(spec, jsonSchema(loose), 'request', 'r').some((p) => p.includes('reject unknown keys')));
    const optionalValue = z.strictObject({ ...createCustomerContactRequest.shape, value: z.string().optional() });
    assert.ok(compare(spec, jsonSchema(optionalValue), 'request', 'r').some((p) => p.includes('required')));
    const nullableValue = z.strictObject({ ...createCustomerContactRequest.shape, value: z.string().nullable() });
    assert.ok(compare(spec, jsonSchema(nullableValue), 'request', 'r').some((p) => p.includes('forbids null')));
    const landline = z.strictObject({ ...createCustomerContactRequest.shape, type: z.enum(['Phone', 'LandlinePhone', 'Email', 'Fax', 'MobilePhone']) });
    assert.ok(compare(spec, jsonSchema(landline), 'request', 'r').some((p) => p.includes('enum')));
    assert.ok(
      compare(
        { $ref: '#/components/schemas/Crm.V2.CreateContactRequest' },
        jsonSchema(z.strictObject({ ...createContactRequest.shape, isArchived: z.boolean() })),
        'request',
        'r',
      ).length > 0,
    );
  });
});
