// A running sandbox with a CrmClient over the real transport (loopback HTTP, no mocked fetch).
import { startSandbox, type RunningSandbox, type SandboxOptions } from '../../../sandbox/index';
import { CrmClient } from '../../../src/api/client';
import { customEnvironment } from '../../../src/api/environments';
import { resetSharedBuckets } from '../../../src/api/rateLimit';
import { createTransport, type CrmTransport } from '../../../src/api/transport';

export interface ClientFixture {
  sb: RunningSandbox;
  transport: CrmTransport;
  client: CrmClient;
  /** A client of the read-only credentials (only `:r` scopes). */
  readOnly: CrmClient;
  close(): Promise<void>;
}

export async function startClientFixture(customers = 30, options: Omit<SandboxOptions, 'port' | 'customers'> = {}): Promise<ClientFixture> {
  // Tests start many transports for the same app key and tenant; each file gets a fresh bucket.
  resetSharedBuckets();
  const sb = await startSandbox({ ...options, port: 0, customers });
  const environment = customEnvironment(sb.url, sb.url + '/connect/token');
  const { clientId, clientSecret, appKey, readOnlyClientId, readOnlyClientSecret } = sb.credentials;
  const transport = createTransport({ environment, tenant: sb.tenant, clientId, clientSecret, appKey, rateLimitPerSecond: 1000, retryBaseDelayMs: 10 });
  const readOnlyTransport = createTransport({
    environment,
    tenant: sb.tenant,
    clientId: readOnlyClientId,
    clientSecret: readOnlyClientSecret,
    appKey,
    rateLimitPerSecond: 1000,
  });
  return {
    sb,
    transport,
    client: new CrmClient(transport),
    readOnly: new CrmClient(readOnlyTransport),
    async close() {
      await transport.close();
      await readOnlyTransport.close();
      await sb.close();
    },
  };
}

export const ADDRESS = { street: '1200 Market St', city: 'Springfield', state: 'IL', zip: '62701', country: 'USA' };
