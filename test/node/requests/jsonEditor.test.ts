// The request-file and suite-file JSON Schemas as VS Code's JSON editor uses them: Microsoft's
// vscode-json-languageservice (the library behind VS Code's JSON language features) with the
// schema the manifest contributes. Completion and hovers name each operation's route; an unknown
// operation is not the editor's to mark (the extension marks it once, with the closest id), while
// the rest of a request is still checked by the schema.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { getLanguageService, TextDocument, type Diagnostic } from 'vscode-json-languageservice';
import { ruleProblems } from '../../../src/requests/requestFile';
import { parseSuite } from '../../../src/suites';

const ROOT = path.resolve(__dirname, '../../../..');
const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
  contributes: { jsonValidation: { fileMatch: string[]; url: string }[] };
};

function editor(): ReturnType<typeof getLanguageService> {
  const service = getLanguageService({});
  service.configure({
    validate: true,
    schemas: manifest.contributes.jsonValidation.map((entry) => ({
      uri: `file://${path.join(ROOT, entry.url)}`,
      fileMatch: entry.fileMatch,
      schema: JSON.parse(fs.readFileSync(path.join(ROOT, entry.url), 'utf8')) as object,
    })),
  });
  return service;
}

async function problems(name: string, text: string): Promise<Diagnostic[]> {
  const service = editor();
  const document = TextDocument.create(`file:///work/${name}`, 'json', 1, text);
  return service.doValidation(document, service.parseJSONDocument(document));
}

const SUITE = (operation: string): string => JSON.stringify({ name: 'S', steps: [{ name: 'one', operation }] }, null, 2);

void describe('the JSON editor with our schemas', () => {
  void it('completes the operation with all 86 ids, each with its route, in request and suite files', async () => {
    for (const [name, text] of [
      ['a.stcrm.json', '{ "operation": "" }'],
      ['a.stcrm-suite.json', '{ "name": "S", "steps": [ { "operation": "" } ] }'],
    ] as const) {
      const service = editor();
      const document = TextDocument.create(`file:///work/${name}`, 'json', 1, text);
      const at = document.positionAt(text.indexOf('""') + 1);
      const list = await service.doComplete(document, at, service.parseJSONDocument(document));
      const ids = (list?.items ?? []).map((item) => item.label.replace(/^"|"$/g, ''));
      assert.equal(ids.length, 86, name);
      const get = list?.items.find((item) => item.label.replace(/^"|"$/g, '') === 'Customers_Get');
      assert.match(JSON.stringify(get?.documentation ?? ''), /GET \/customers\/\{id\}/, name);
    }
  });

  void it('shows the route of a known operation on hover', async () => {
    const service = editor();
    const text = '{ "operation": "Customers_Get", "path": { "id": 1 } }';
    const document = TextDocument.create('file:///work/a.stcrm.json', 'json', 1, text);
    const hover = await service.doHover(document, document.positionAt(text.indexOf('Customers_Get') + 3), service.parseJSONDocument(document));
    assert.match(JSON.stringify(hover?.contents ?? ''), /GET \/customers\/\{id\}/);
  });

  void it('leaves an unknown operation to the extension, which marks it once with the closest id', async () => {
    assert.deepEqual(await problems('a.stcrm.json', '{ "operation": "Customers_Gett" }'), []);
    assert.deepEqual(await problems('a.stcrm-suite.json', SUITE('Customers_Gett')), []);
    const [request] = ruleProblems('{ "operation": "Customers_Gett" }');
    assert.match(request?.message ?? '', /^Unknown operation "Customers_Gett"\. Did you mean Customers_Get/);
    const suite = parseSuite(SUITE('Customers_Gett'), 'a.stcrm-suite.json');
    assert.ok(!suite.ok);
    assert.match(suite.problems[0]?.message ?? '', /^Unknown operation "Customers_Gett"\. Did you mean Customers_Get/);
  });

  void it('still checks the rest of a request against its operation', async () => {
    const found = await problems('a.stcrm.json', '{ "operation": "Contacts_Create", "body": { "name": 5 } }');
    assert.equal(found.length, 1, JSON.stringify(found));
    const message = found[0]?.message;
    assert.match(typeof message === 'string' ? message : (message?.value ?? ''), /string/i);
  });
});
