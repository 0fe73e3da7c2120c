// The CLI's connection from ST_* variables (src/cli/credentials.ts): what to set when something is
// missing (names, never values), and production recognised by its URLs, not only by its label.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { connectionFromEnv } from '../../../src/cli/credentials';

const CREDENTIALS = { ST_CLIENT_ID: 'id-1', ST_CLIENT_SECRET: 'secret-1', ST_APP_KEY: 'key-1', ST_TENANT: '1000' };

async function productionOf(env: NodeJS.ProcessEnv): Promise<boolean | string> {
  const result = connectionFromEnv(env);
  if (!result.ok) return result.message;
  await result.value.transport.close();
  return result.value.connection.profile.production;
}

void describe('the CLI connection', () => {
  void it('is production for ST_ENVIRONMENT=production, or for production URLs given as custom ones', async () => {
    assert.equal(await productionOf({ ...CREDENTIALS, ST_ENVIRONMENT: 'production' }), true);
    assert.equal(await productionOf({ ...CREDENTIALS, ST_ENVIRONMENT: 'integration' }), false);
    assert.equal(
      await productionOf({ ...CREDENTIALS, ST_API_BASE_URL: 'https://api.servicetitan.io/', ST_TOKEN_URL: 'https://auth.servicetitan.io/connect/token' }),
      true,
    );
    assert.equal(
      await productionOf({ ...CREDENTIALS, ST_API_BASE_URL: 'http://127.0.0.1:9', ST_TOKEN_URL: 'https://auth.servicetitan.io/connect/token' }),
      true,
    );
    assert.equal(await productionOf({ ...CREDENTIALS, ST_API_BASE_URL: 'http://127.0.0.1:9', ST_TOKEN_URL: 'http://127.0.0.1:9/connect/token' }), false);
    assert.equal(
      await productionOf({
        ...CREDENTIALS,
        ST_API_BASE_URL: 'http://127.0.0.1:9',
        ST_TOKEN_URL: 'http://127.0.0.1:9/connect/token',
        ST_ENVIRONMENT: 'production',
      }),
      true,
    );
  });

  void it('is production for production hosts however they are written (case, trailing dot, default port)', async () => {
    const token = 'http://127.0.0.1:9/connect/token';
    for (const url of [
      'https://api.servicetitan.io.',
      'https://API.ServiceTitan.io/',
      'https://api.servicetitan.io:443',
      'https://api.servicetitan.io.:443/crm',
    ]) {
      assert.equal(await productionOf({ ...CREDENTIALS, ST_API_BASE_URL: url, ST_TOKEN_URL: token }), true, url);
    }
    assert.equal(
      await productionOf({ ...CREDENTIALS, ST_API_BASE_URL: 'http://127.0.0.1:9', ST_TOKEN_URL: 'https://AUTH.servicetitan.io.:443/connect/token' }),
      true,
    );
    assert.equal(
      await productionOf({
        ...CREDENTIALS,
        ST_API_BASE_URL: 'https://api-integration.servicetitan.io',
        ST_TOKEN_URL: 'https://auth-integration.servicetitan.io/connect/token',
      }),
      false,
    );
  });

  void it('refuses a tenant that is not a whole number, as the profile form does', async () => {
    for (const tenant of ['abc', '10.5', '-1', '1e3', '12345678901234567890']) {
      assert.match(
        String(await productionOf({ ...CREDENTIALS, ST_ENVIRONMENT: 'integration', ST_TENANT: tenant })),
        /^ST_TENANT must be the tenant ID: digits only/,
        tenant,
      );
    }
    assert.equal(await productionOf({ ...CREDENTIALS, ST_ENVIRONMENT: 'integration', ST_TENANT: ' 1000 ' }), false);
  });

  void it('says what to set, naming variables and never their values', async () => {
    assert.equal(
      await productionOf({ ST_CLIENT_SECRET: 'secret-1', ST_ENVIRONMENT: 'staging', ST_API_BASE_URL: 'http://x' }),
      [
        "Set ST_CLIENT_ID, ST_APP_KEY, ST_TENANT (the app's credentials and the tenant ID), or pass --sandbox to run against a fresh local sandbox.",
        'ST_ENVIRONMENT must be integration or production.',
        'Set both ST_API_BASE_URL and ST_TOKEN_URL, or neither.',
      ].join('\n'),
    );
    assert.match(
      String(await productionOf({ ...CREDENTIALS, ST_API_BASE_URL: 'ftp://x', ST_TOKEN_URL: 'ftp://y' })),
      /^API base URL must start with https:\/\/ or http:\/\//,
    );
  });
});
