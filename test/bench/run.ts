/**
 * `npm run bench`: figures measured in one run, printed with their ratios. Tests never assert
 * timings; this is where they are looked at. STCRM_BENCH_ACTIVATION_RUNS sets how many fresh
 * hosts time the activation (default 3 of each build). Exits 1 when the rate-limit row shows a
 * 429, after printing everything: the client's limiter must never trip the server's.
 */
import * as os from 'node:os';
import { CrmClient } from '../../src/api/client';
import { customEnvironment } from '../../src/api/environments';
import { createTransport } from '../../src/api/transport';
import { startSandbox } from '../../sandbox';
import { measureActivation } from './activation';
import { measureClientOverhead } from './clientOverhead';
import { measureRateLimit } from './rateLimitRun';
import { measureSizes, type Sizes } from './sizes';

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

const kb = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KB`;
const ms = (value: number): string => `${value.toFixed(1)} ms`;
const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
};

/** When each file of the bundle is loaded (scripts/build.mjs). */
const LOADED: Record<string, string> = {
  'extension.js': 'loaded on activation',
  'sandbox.js': 'loaded when the local sandbox starts',
  'llhttp-wasm.js': 'loaded only without WebAssembly SIMD',
  'json-location.js': 'loaded with the first diagnostic',
  'forms.js': "loaded in each form's webview",
  'forms.css': "loaded in each form's webview",
};

function printSizes(sizes: Sizes): void {
  console.log('Production bundle (minified, no source maps) and VSIX');
  const main = sizes.files.find((file) => file.name === 'extension.js');
  for (const file of sizes.files) {
    const when = LOADED[file.name] ?? '';
    console.log(`  dist/${file.name.padEnd(16)} ${kb(file.bytes).padStart(10)}   ${when}`);
    for (const [part, bytes] of file.parts.slice(0, 8)) console.log(`      ${part.padEnd(22)} ${kb(bytes).padStart(10)}  ${((bytes / file.bytes) * 100).toFixed(1).padStart(5)} %`);
  }
  const total = sizes.files.reduce((sum, file) => sum + file.bytes, 0);
  console.log(`  VSIX ${kb(sizes.vsixBytes)} zipped, ${kb(sizes.vsixUnpackedBytes)} unpacked, ${sizes.vsixFiles} files; zip ratio ×${(sizes.vsixUnpackedBytes / sizes.vsixBytes).toFixed(2)}`);
  if (main) console.log(`  activation share: extension.js is ${((main.bytes / total) * 100).toFixed(1)} % of the bundle's ${kb(total)}`);
}

async function main(): Promise<void> {
  console.log(`npm run bench · ${new Date().toISOString()} · ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'CPU'} · Node ${process.versions.node}\n`);
  const sizes = await measureSizes();
  printSizes(sizes);

  const runs = Number(process.env.STCRM_BENCH_ACTIVATION_RUNS ?? 3);
  const activation = await measureActivation(runs);
  const vsix = median(activation.vsix);
  const development = median(activation.development);
  console.log(`\nActivation in code-server 4.100.3 (VS Code 1.100.3), fresh host each run, median of ${runs}`);
  console.log(`  installed VSIX      ${ms(vsix).padStart(10)}   (runs: ${activation.vsix.map(ms).join(', ')})`);
  console.log(`  development build   ${ms(development).padStart(10)}   (runs: ${activation.development.map(ms).join(', ')})`);
  console.log(`  ratio VSIX/development ×${(vsix / development).toFixed(2)}`);

  const small = await firstPage(100);
  const large = await firstPage(100_000);
  const row = (label: string, r: typeof small) =>
    `  ${label.padEnd(18)} start ${r.startMs.toFixed(1).padStart(7)} ms   first page ${r.firstPageMs.toFixed(1).padStart(6)} ms   median page ${r.medianPageMs.toFixed(1).padStart(6)} ms`;
  console.log('\nSandbox + client, first page of 50 customers (loopback HTTP)');
  console.log(row('100 customers', small));
  console.log(row('100,000 customers', large));
  console.log(`  ratio 100k/100: start ×${(large.startMs / small.startMs).toFixed(2)}, median first page ×${(large.medianPageMs / small.medianPageMs).toFixed(2)}`);

  const overhead = await measureClientOverhead(1000);
  const perCall = (total: number): string => `${((total / overhead.calls) * 1000).toFixed(0)} µs`;
  console.log(`\nClient vs plain undici.request, ${overhead.calls} sequential GETs of 50 customers (same sandbox, limiter out of the way)`);
  console.log(`  CrmClient           ${ms(overhead.clientMs).padStart(10)}   ${perCall(overhead.clientMs)} per call`);
  console.log(`  undici.request      ${ms(overhead.rawMs).padStart(10)}   ${perCall(overhead.rawMs)} per call`);
  console.log(`  ratio client/raw ×${(overhead.clientMs / overhead.rawMs).toFixed(2)}`);

  const limited = await measureRateLimit(600, 60);
  const mustBeZero = (n: number): string => (n === 0 ? '(must be 0)' : '(must be 0: FAIL)');
  console.log(`\nClient limiter vs the sandbox enforcing ${limited.limit} calls/s (--rate-limit ${limited.limit}), ${limited.calls} concurrent calls from a fresh transport`);
  console.log(`  calls per second    ${limited.callsPerSecond.toFixed(1).padStart(10)}   limit ${limited.limit}   ratio ×${(limited.callsPerSecond / limited.limit).toFixed(2)}   (${limited.calls} calls in ${(limited.elapsedMs / 1000).toFixed(2)} s)`);
  console.log(`  most in a rolling s ${String(limited.maxArrivalsInAnyWindow).padStart(10)}   limit ${limited.limit}   ratio ×${(limited.maxArrivalsInAnyWindow / limited.limit).toFixed(2)}   (as the server counted them; ${limited.maxInAnyWindow} accepted)`);
  console.log(`  429 responses       ${String(limited.rejected).padStart(10)}   ${mustBeZero(limited.rejected)}${limited.failed > 0 ? `; ${limited.failed} calls failed` : ''}`);

  const extension = sizes.files.find((file) => file.name === 'extension.js');
  console.log(
    `\nSummary: extension.js ${kb(extension?.bytes ?? 0)}, VSIX ${kb(sizes.vsixBytes)}, activation ${ms(vsix)} (VSIX) / ${ms(development)} (development), first page ${ms(small.medianPageMs)} (100) / ${ms(large.medianPageMs)} (100,000 customers), client ×${(overhead.clientMs / overhead.rawMs).toFixed(2)} of raw undici, limiter ${limited.callsPerSecond.toFixed(1)}/s of ${limited.limit} (×${(limited.callsPerSecond / limited.limit).toFixed(2)}) with ${limited.rejected} × 429`,
  );
  if (limited.rejected > 0 || limited.failed > 0) throw new Error(`the client's limiter got ${limited.rejected} × 429 from a sandbox enforcing the same ${limited.limit} calls/s`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
