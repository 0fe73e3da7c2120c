// The suite-file JSON Schema (schemas/stcrm-suite.schema.json, generated with the request-file
// one; the generator's staleness test covers it): the examples pass, a `{{name}}` reference may
// stand where any value goes, `"check": false` steps are not checked, and it marks what the engine
// refuses (an unknown operation or key, a wrong parameter type, a missing body).
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { CRM_OPERATION_LIST } from '../../../src/api/schemas/operations';
import { unknownKeywords, validate, type Json } from '../requests/draft07';

const ROOT = path.resolve(__dirname, '../../../..');
const SCHEMA = JSON.parse(fs.readFileSync(path.join(ROOT, 'schemas/stcrm-suite.schema.json'), 'utf8')) as { [key: string]: Json };
const problems = (doc: unknown): string[] => validate(doc, SCHEMA).map((problem) => `${problem.path.join('.')}: ${problem.message.slice(0, 40)}`);
const withSteps = (...steps: unknown[]): unknown => ({ name: 'S', steps });

void describe('the suite-file JSON Schema', () => {
  void it('uses only keywords the editor and this validator know, completes every operation, and is contributed for *.stcrm-suite.json', () => {
    assert.deepEqual(unknownKeywords(SCHEMA), []);
    const definitions = SCHEMA.definitions as { [key: string]: { properties: { operation: { anyOf: [{ enum: string[] }, unknown] } } } };
    assert.deepEqual(
      definitions['stcrm.step']?.properties.operation.anyOf[0].enum,
      CRM_OPERATION_LIST.map((op) => op.operationId),
    );
    const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
      contributes: { jsonValidation: { fileMatch: string[]; url: string }[] };
    };
    assert.ok(
      manifest.contributes.jsonValidation.some((entry) => entry.fileMatch.includes('*.stcrm-suite.json') && entry.url === './schemas/stcrm-suite.schema.json'),
    );
  });

  void it('passes the examples', () => {
    for (const file of fs.readdirSync(path.join(ROOT, 'examples')).filter((name) => name.endsWith('.stcrm-suite.json'))) {
      assert.deepEqual(problems(JSON.parse(fs.readFileSync(path.join(ROOT, 'examples', file), 'utf8'))), [], file);
    }
  });

  void it('takes a reference wherever a value goes, and text with references in a constrained text field', () => {
    assert.deepEqual(
      problems(
        withSteps(
          { operation: 'Customers_Get', path: { id: '{{customerId}}' } },
          { operation: 'Contacts_CreateContactRelationship', path: { contactId: '{{id}}', relatedEntityId: '{{customerId}}', typeSlug: '{{slug}}' } },
          { operation: 'ContactMethods_CreateContactMethod', path: { contactId: '{{id}}' }, body: { type: '{{type}}', value: 'kim.{{run}}@example.com' } },
          { operation: 'Customers_Create', body: '{{customer}}' },
          { operation: 'Customers_GetList', query: { pageSize: '{{size}}', createdOnOrAfter: '{{$isoTimestamp}}' } },
        ),
      ),
      [],
    );
  });

  void it('marks what the engine refuses, and leaves "check": false steps alone', () => {
    assert.deepEqual(
      problems(
        withSteps(
          { operation: 'Customers_Gett' },
          { operation: 'Customers_Get', path: { id: 'abc' } },
          { operation: 'Customers_Get', path: { id: 1 }, bogus: 1 },
          { operation: 'Contacts_Create' },
          { operation: 'Contacts_Create', body: { nickname: 'x' } },
          { operation: 'Customers_Get', path: { id: 1 }, expect: { status: '200', problem: { titl: 'y' } }, capture: { a: 'id' } },
          { operation: 'Contacts_Create', check: false, body: { nickname: 'x' } },
        ),
      ),
      [
        // No word on steps.0: an unknown operation is the engine's to mark, with the closest id (jsonEditor.test.ts).
        'steps.1.path.id: matches none of anyOf',
        'steps.2.bogus: unknown property',
        'steps.3: missing body',
        'steps.4.body: matches none of anyOf',
        'steps.5.expect.status: matches none of anyOf',
        'steps.5.expect.problem.titl: unknown property',
        'steps.5.capture.a: does not match ^\\$',
      ],
    );
    assert.deepEqual(problems({ name: 'S', steps: [], extra: 1, sandbox: { faults: [{ kind: 'meteor' }] } }), [
      'steps: fewer than 1 items',
      'extra: unknown property',
      'sandbox.faults.0.kind: not one of ["latency","error5xx","rateLi',
    ]);
  });
});
