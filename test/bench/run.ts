/**
 * `npm run bench`: figures measured in one run, printed with their ratios. Tests never assert
 * timings; this is where they are looked at.
 */
import { CrmClient } from '../../src/api/client';
import { customEnvironment } from '../../src/api/environments';
import { createTransport } from '../../src/api/transport';
import { startSandbox } from '../../sandbox';

async function firstPage(customers: number): Promise<{ startMs: number; firstPageMs: number; medianPageMs: number }> {
  const started = performance.now();
  const sandbox = await startSandbox({ port: 0, customers });
  const startMs = performance.now() - started;
  const { clientId, clientSecret, appKey } = sandbox.credentials;
  const transport = createTransport({ environment: customEnvironment(sandbox.url, `${sandbox.url}/connect/token`), tenant: sandbox.tenant, clientId, clientSecret, appKey, rateLimitPerSecond: 60 });
  const client = new CrmClient(transport);
  try {
    await client.listCustomers({ page: 1, pageSize: 1 }); // token and connection warm-up
    const t0 = performance.now();
    await client.listCustomers({ page: 1, pageSize: 50 });
    const firstPageMs = performance.now() - t0;
    const samples: number[] = [];
    for (let i = 0; i < 15; i++) {
      const t = performance.now();
      await client.listCustomers({ page: 1, pageSize: 50 });
      samples.push(performance.now() - t);
    }
    samples.sort((a, b) => a - b);
    return { startMs, firstPageMs, medianPageMs: samples[Math.floor(samples.length / 2)] ?? 0 };
  } finally {
    await transport.close();
    await sandbox.close();
  }
}

async function main(): Promise<void> {
  const small = await firstPage(100);
  const large = await firstPage(100_000);
  const row = (label: string, r: typeof small) =>
    `${label.padEnd(18)} start ${r.startMs.toFixed(1).padStart(7)} ms   first page ${r.firstPageMs.toFixed(1).padStart(6)} ms   median page ${r.medianPageMs.toFixed(1).padStart(6)} ms`;
  console.log('Sandbox + client, first page of 50 customers (loopback HTTP)');
  console.log(row('100 customers', small));
  console.log(row('100,000 customers', large));
  console.log(`ratio 100k/100: start ×${(large.startMs / small.startMs).toFixed(2)}, median first page ×${(large.medianPageMs / small.medianPageMs).toFixed(2)}`);
}

void main();
