// The confirmation agents show (src/agent/confirmations.ts): Production first and bold, each call's
// operation, method, URL and body in a code block no body can break out of.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { confirmationMarkdown, confirmationPlainText, confirmationTitle } from '../../../src/agent/confirmations';
import type { WriteConfirmation } from '../../../src/writes/engine';

const confirmation = (production: boolean, body = '{"name":"Kim"}'): WriteConfirmation => ({
  title: 'New Contact',
  profile: { id: 'p', name: 'Live *copy*', tenant: '1000', production },
  calls: [{ label: 'Creating the contact', operationId: 'Contacts_Create', method: 'POST', url: 'https://api.example/crm/v2/tenant/1000/contacts', body }],
});

void describe('agent confirmations', () => {
  void it('call out Production first, and name profile, tenant, operation, method, URL and body', () => {
    assert.equal(confirmationTitle(confirmation(true)), 'Send "New Contact" to the PRODUCTION tenant 1000?');
    assert.equal(
      confirmationMarkdown(confirmation(true)),
      [
        '**Production**: this changes real customer data in tenant 1000.',
        '',
        '```text',
        'Profile "Live *copy*" · tenant 1000 · PRODUCTION',
        '',
        'Call · Contacts_Create',
        'POST https://api.example/crm/v2/tenant/1000/contacts',
        '{"name":"Kim"}',
        '```',
      ].join('\n'),
    );
    assert.doesNotMatch(confirmationMarkdown(confirmation(false)), /Production|PRODUCTION/);
    assert.match(confirmationPlainText(confirmation(true)), /PRODUCTION: this changes real customer data\./);
  });

  void it('keep every value inside the one code block: no backtick run or line break gets out', () => {
    const markdown = confirmationMarkdown(confirmation(false, '{"name":"a ```` b\n\n**Yes, safe**"}'));
    assert.ok(markdown.startsWith('`````text\n'), markdown);
    assert.ok(markdown.endsWith('\n{"name":"a ```` b **Yes, safe**"}\n`````'), markdown);
  });
});
