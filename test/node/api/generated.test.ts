// The generated files are checked in: they must be exactly what scripts/generate-crm.mjs makes of
// the official document and the overlay today, and the generator must refuse what it cannot map.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { CRM_SPEC } from '../../../sandbox/generated/spec.gen';
import { CRM_OPERATIONS } from '../../../src/api/generated/operations.gen';

interface Generator {
  SPEC_FILE: string;
  OVERLAY_FILE: string;
  generate(specText: string, overlayText: string): Record<string, string>;
  generateFromRepo(root?: string): Record<string, string>;
}

const ROOT = path.resolve(__dirname, '../../../..');
const load = async (): Promise<Generator> => (await import(pathToFileURL(path.join(ROOT, 'scripts/generate-crm.mjs')).href)) as Generator;

void describe('generated CRM v2 files', () => {
  void it('are up to date with openapi/ (run `node scripts/generate-crm.mjs` when this fails)', async () => {
    const files = (await load()).generateFromRepo(ROOT);
    const stale = Object.entries(files)
      .filter(([rel, text]) => !fs.existsSync(path.join(ROOT, rel)) || fs.readFileSync(path.join(ROOT, rel), 'utf8') !== text)
      .map(([rel]) => rel);
    assert.deepEqual(stale, []);
    const bodySchemas = fs.readdirSync(path.join(ROOT, 'schemas/requests')).map((f) => `schemas/requests/${f}`);
    assert.deepEqual(
      bodySchemas.filter((rel) => !(rel in files)),
      [],
      'request-body schemas of operations the document no longer has',
    );
  });

  void it('change when the document changes, so a stale check can fail', async () => {
    const gen = await load();
    const spec = fs.readFileSync(path.join(ROOT, gen.SPEC_FILE), 'utf8');
    const overlay = fs.readFileSync(path.join(ROOT, gen.OVERLAY_FILE), 'utf8');
    const doc = JSON.parse(spec) as { components: { schemas: Record<string, { properties: Record<string, unknown> }> } };
    delete doc.components.schemas['Crm.V2.ContactResponse']?.properties.title;
    const changed = gen.generate(JSON.stringify(doc), overlay);
    const before = gen.generate(spec, overlay);
    assert.notEqual(changed['src/api/generated/schemas.gen.ts'], before['src/api/generated/schemas.gen.ts']);
    assert.notEqual(changed['sandbox/generated/spec.gen.ts'], before['sandbox/generated/spec.gen.ts']);
  });

  void it('refuse an overlay that names a schema the document does not define', async () => {
    const gen = await load();
    const spec = fs.readFileSync(path.join(ROOT, gen.SPEC_FILE), 'utf8');
    const overlay = JSON.parse(fs.readFileSync(path.join(ROOT, gen.OVERLAY_FILE), 'utf8')) as { rules: Record<string, unknown> };
    overlay.rules['Crm.V2.NoSuchRequest'] = [['contactValue']];
    assert.throws(() => gen.generate(spec, JSON.stringify(overlay)), /Crm\.V2\.NoSuchRequest/);
  });

  void it("keep a property named like a keyword they strip (BookingProviderTag's `description`) in the sandbox's copy", () => {
    for (const name of ['Crm.V2.CreateBookingProviderTagRequest', 'Crm.V2.GetBookingProviderTagResponse', 'Crm.V2.ContactPreferenceTypeResponse']) {
      const schema = CRM_SPEC.schemas[name];
      assert.ok(schema?.properties && 'description' in schema.properties, `${name} lost its description property`);
      for (const required of schema?.required ?? []) assert.ok(schema?.properties?.[required], `${name} requires ${required}, which it lacks`);
    }
  });

  void it('give one JSON Schema per request body, with the referenced components and their descriptions', () => {
    const file = path.join(ROOT, 'schemas/requests/Customers_Create.schema.json');
    const schema = JSON.parse(fs.readFileSync(file, 'utf8')) as {
      $ref: string;
      $defs: Record<string, { description?: string; properties?: Record<string, { description?: string }> }>;
    };
    assert.equal(schema.$ref, '#/$defs/Crm.V2.Customers.CreateCustomerRequest');
    assert.ok(schema.$defs['Crm.V2.Customers.NewLocation'], 'nested components are included');
    assert.match(schema.$defs['Crm.V2.Customers.CreateCustomerRequest']?.properties?.name?.description ?? '', /\w/);
    assert.equal(JSON.stringify(schema).includes('#/components/'), false, 'every $ref points into $defs');
  });

  void it('write the request-file JSON Schema and templates from the same decisions, and refuse a parameter they cannot express', async () => {
    const gen = await load();
    const spec = fs.readFileSync(path.join(ROOT, gen.SPEC_FILE), 'utf8');
    const overlayText = fs.readFileSync(path.join(ROOT, gen.OVERLAY_FILE), 'utf8');
    const files = gen.generate(spec, overlayText);
    assert.ok(files['schemas/stcrm-request.schema.json'] && files['schemas/stcrm-request-templates.json']);
    // A parameter code the JSON Schema has no translation for fails the generator, rather than going unchecked in the editor.
    const overlay = JSON.parse(overlayText) as { parameters: Record<string, string> };
    overlay.parameters.typeSlug = 'P.somethingNew';
    assert.throws(() => gen.generate(spec, JSON.stringify(overlay)), /no JSON Schema for the parameter code P\.somethingNew/);
    // A property the document makes required moves from the template's optional list into its body.
    const doc = JSON.parse(spec) as { components: { schemas: Record<string, { required: string[] }> } };
    doc.components.schemas['Crm.V2.Customers.CreateCustomerContactRequest']?.required.push('memo');
    const text = gen.generate(JSON.stringify(doc), overlayText)['schemas/stcrm-request-templates.json'] ?? '{}';
    const template = (JSON.parse(text) as { templates: Record<string, { body?: unknown; optional?: unknown }> }).templates.Customers_CreateContact;
    assert.deepEqual(template?.body, { type: 'Phone', value: '(555) 123-4567', memo: 'string' });
    assert.equal(template?.optional, undefined);
  });

  void it('refuse a sort parameter without fields, and take the fields the document does not give from the overlay', async () => {
    const gen = await load();
    const spec = fs.readFileSync(path.join(ROOT, gen.SPEC_FILE), 'utf8');
    const overlay = JSON.parse(fs.readFileSync(path.join(ROOT, gen.OVERLAY_FILE), 'utf8')) as { sortFields: Record<string, unknown> };
    // Customers_GetCustomFieldTypes' sort parameter has no description: without the overlay every sort would be invalid.
    const without = structuredClone(overlay);
    delete without.sortFields.Customers_GetCustomFieldTypes;
    assert.throws(() => gen.generate(spec, JSON.stringify(without)), /Customers_GetCustomFieldTypes: the sort parameter names no fields/);
    // Fields for an operation whose description lists them already would be a second source.
    const twice = structuredClone(overlay);
    twice.sortFields.Customers_GetList = ['Id'];
    assert.throws(() => gen.generate(spec, JSON.stringify(twice)), /sortFields names Customers_GetList, whose sort parameter lists its fields already/);
    for (const id of ['Customers_GetCustomFieldTypes', 'Locations_GetCustomFieldTypes'] as const) {
      const query = CRM_OPERATIONS[id].query;
      for (const sort of ['Id', '+Id', '-ModifiedOn', '+createdon']) assert.ok(query.safeParse({ sort }).success, `${id} rejects sort=${sort}`);
      assert.equal(query.safeParse({ sort: 'Name' }).success, false, `${id} accepts sort=Name`);
    }
  });

  void it("give the sandbox each operation's sort fields and the overlay's lists, the same the client is generated from", () => {
    const overlay = JSON.parse(fs.readFileSync(path.join(ROOT, 'openapi/overlay.json'), 'utf8')) as {
      rules: Record<string, unknown>;
      minItems: Record<string, [number, string]>;
      parameters: Record<string, string>;
    };
    const withoutComment = <T>(o: Record<string, T>): Record<string, T> => Object.fromEntries(Object.entries(o).filter(([k]) => k !== '$comment'));
    assert.deepEqual(CRM_SPEC.overlay.rules, overlay.rules);
    assert.deepEqual(CRM_SPEC.overlay.minItems, Object.fromEntries(Object.entries(overlay.minItems).map(([k, [n]]) => [k, n])));
    assert.deepEqual(CRM_SPEC.overlay.parameters, withoutComment(overlay.parameters));
    const client: Record<string, { query: { shape: Record<string, unknown> } }> = CRM_OPERATIONS;
    for (const op of CRM_SPEC.operations) {
      const sortable = 'sort' in (client[op.operationId]?.query.shape ?? {});
      assert.equal(op.sortFields !== null, sortable, `${op.operationId}: sortFields ${JSON.stringify(op.sortFields)}`);
      if (!op.sortFields) continue;
      assert.ok(op.sortFields.length > 0, `${op.operationId} sorts by nothing`);
      const query = CRM_OPERATIONS[op.operationId as keyof typeof CRM_OPERATIONS].query;
      for (const f of op.sortFields)
        assert.ok(query.safeParse({ sort: `-${f}` }).success, `${op.operationId}: the client rejects -${f}, which the sandbox takes`);
    }
  });

  void it('refuse an overlay key that names nothing the document has', async () => {
    const gen = await load();
    const spec = fs.readFileSync(path.join(ROOT, gen.SPEC_FILE), 'utf8');
    const base = JSON.parse(fs.readFileSync(path.join(ROOT, gen.OVERLAY_FILE), 'utf8')) as Record<string, Record<string, unknown>>;
    const cases: Array<[string, (o: Record<string, Record<string, unknown>>) => void, RegExp]> = [
      [
        'an unknown section',
        (o) => {
          o.sortfield = {};
        },
        /unknown section sortfield/,
      ],
      [
        'a property a message names',
        (o) => {
          o.messages = { ...o.messages, 'Crm.V2.Customers.CreateCustomerRequest.nmae': 'x' };
        },
        /CreateCustomerRequest has no property nmae/,
      ],
      [
        'a property minItems names',
        (o) => {
          o.minItems = { 'Crm.V2.Customers.CreateCustomerRequest.location': [1, 'x'] };
        },
        /has no property location/,
      ],
      [
        'a property a response overlay names',
        (o) => {
          o.nullableInResponses = { 'Crm.V2.Customers.CustomerResponse.externalDatum': 'x' };
        },
        /has no property externalDatum/,
      ],
      [
        'a property a rule names',
        (o) => {
          o.rules = { ...o.rules, 'Crm.V2.UpdateContactRequest': [['notBlank', 'nmae', 'x']] };
        },
        /needs the property nmae/,
      ],
      [
        'an unknown rule',
        (o) => {
          o.rules = { ...o.rules, 'Crm.V2.UpdateContactRequest': [['maxLength', 'name']] };
        },
        /unknown rule maxLength/,
      ],
      [
        'an enum message for no enum',
        (o) => {
          o.enumMessages = { 'Crm.V2.ContactTypes': 'x' };
        },
        /enumMessages names Crm\.V2\.ContactTypes/,
      ],
      [
        'an unknown parameter',
        (o) => {
          o.parameters = { ...o.parameters, isArchivd: 'z.boolean()' };
        },
        /parameters names isArchivd/,
      ],
      [
        'a parameter of another operation',
        (o) => {
          o.parameters = { ...o.parameters, 'Customers_GetList.isArchived': 'z.boolean()' };
        },
        /parameters names Customers_GetList\.isArchived/,
      ],
      [
        'an unknown response property',
        (o) => {
          o.responseProperties = { ...o.responseProperties, totalCounts: 'P.totalCount' };
        },
        /responseProperties names totalCounts/,
      ],
      [
        'sort fields of an unknown operation',
        (o) => {
          o.sortFields = { ...o.sortFields, Customers_GetCustomFieldType: ['Id'] };
        },
        /sortFields names Customers_GetCustomFieldType, which is not an operation/,
      ],
      [
        'sort fields of an operation without sort',
        (o) => {
          o.sortFields = { ...o.sortFields, Customers_Get: ['Id'] };
        },
        /Customers_Get, which has no sort parameter/,
      ],
    ];
    for (const [what, change, error] of cases) {
      const overlay = structuredClone(base);
      change(overlay);
      assert.throws(() => gen.generate(spec, JSON.stringify(overlay)), error, what);
    }
    assert.doesNotThrow(() => gen.generate(spec, JSON.stringify(base)));
  });
});
