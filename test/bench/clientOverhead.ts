/**
 * The client's cost per call against plain `undici.request` to the same sandbox route, measured
 * in one run: 1,000 sequential GETs of a 50-customer page each way (after a warm-up).
 */
import { request } from 'undici';
import { CrmClient } from '../../src/api/client';
import { customEnvironment } from '../../src/api/environments';
import { createTransport } from '../../src/api/transport';
import { startSandbox } from '../../sandbox';

export interface OverheadResult {
  calls: number;
  clientMs: number;
  rawMs: number;
}

export async function measureClientOverhead(calls = 1000): Promise<OverheadResult> {
  const sandbox = await startSandbox({ port: 0, customers: 1000 });
  const { clientId, clientSecret, appKey } = sandbox.credentials;
  const transport = createTransport({ environment: customEnvironment(sandbox.url, `${sandbox.url}/connect/token`), tenant: sandbox.tenant, clientId, clientSecret, appKey, rateLimitPerSecond: 1_000_000 });
  // The limiter is what ServiceTitan demands, not overhead: measure the client without waiting on it.
  const client = new CrmClient(transport);
  try {
    const token = await tokenFor(sandbox.url, clientId, clientSecret);
    const url = `${sandbox.url}/crm/v2/tenant/${sandbox.tenant}/customers?page=1&pageSize=50`;
    const headers = { authorization: `Bearer ${token}`, 'st-app-key': appKey };
    const raw = async (): Promise<void> => {
      const response = await request(url, { headers });
      JSON.parse(await response.body.text());
    };
    const viaClient = async (): Promise<void> => {
      await client.listCustomers({ page: 1, pageSize: 50 });
    };
    for (let i = 0; i < 50; i++) {
      await raw();
      await viaClient();
    }
    // Interleaved halves, so a slow spell of the machine hits both sides alike.
    let rawMs = 0;
    let clientMs = 0;
    for (let round = 0; round < 10; round++) {
      let started = performance.now();
      for (let i = 0; i < calls / 10; i++) await raw();
      rawMs += performance.now() - started;
      started = performance.now();
      for (let i = 0; i < calls / 10; i++) await viaClient();
      clientMs += performance.now() - started;
    }
    return { calls, clientMs, rawMs };
  } finally {
    await transport.close();
    await sandbox.close();
  }
}

async function tokenFor(base: string, clientId: string, clientSecret: string): Promise<string> {
  const response = await request(`${base}/connect/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret }).toString(),
  });
  return (JSON.parse(await response.body.text()) as { access_token: string }).access_token;
}
