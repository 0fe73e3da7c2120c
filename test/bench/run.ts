/**
 * `npm run bench`: figures measured in one run, printed with their ratios. Tests never assert
 * timings; this is where they are looked at. STCRM_BENCH_ACTIVATION_RUNS sets how many fresh
 * hosts time the activation (default 3 of each build). Exits 1, after printing everything, when
 * a rate-limit row shows a 429 (the client's limiter must never trip the server's), the suite
 * under the rate limit did not pass, or a list row of the sandbox table answered an error (its
 * figure would mean nothing).
 * STCRM_BENCH_ONLY=bundle prints the bundle and activation rows only; STCRM_BENCH_ROOT measures
 * the bundle of another checkout (test/bench/benchRoot.ts), for before/after figures.
 */
import * as os from 'node:os';
import { measureActivation, type ActivationRun } from './activation';
import { measureClientOverhead } from './clientOverhead';
import { measureCurlImport, printCurlImport } from './curlImport';
import { measureDataWrites, type WriteCost } from './dataWrite';
import { measurePrismVsSandbox, PRISM_VERSION, type PrismComparison } from './prism';
import { measureRateLimit } from './rateLimitRun';
import { measureSize, type SizeResult } from './sandboxScale';
import { measureSizes, type Sizes } from './sizes';
import { measureSuiteOverhead, measureSuiteUnderRateLimit } from './suiteRun';
import { median } from './stats';

const kb = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KB`;
const ms = (value: number): string => `${value.toFixed(1)} ms`;
const mb = (bytes: number | undefined): string => (bytes === undefined ? 'n/a' : `${(bytes / 1024 / 1024).toFixed(0)} MB`);
const ratio = (a: number | undefined, b: number | undefined): string => (a === undefined || b === undefined || b === 0 ? '' : `×${(a / b).toFixed(2)}`);
const count = (n: number | undefined): string => (n === undefined ? '–' : n.toLocaleString('en-US'));

/** When each file of the bundle is loaded (LAZY, LAZY_REQUIRE and STANDALONE in scripts/build.mjs); `chunk-…` files load with the first file that imports them. */
const LOADED: Record<string, string> = {
  'extension.js': 'loaded on activation',
  'llhttp-simd-wasm.js': 'loaded at the first connection (the first tree page)',
  'sandbox.js': 'loaded when the local sandbox starts',
  'forms-host.js': 'loaded when a form opens or is restored',
  'request-files.js': 'loaded by a request command or an open request file',
  'record-commands.js': 'loaded by the first create, edit or delete',
  'profile-commands.js': 'loaded by the first profile command',
  'write-engine.js': 'loaded with the first write',
  'curl-import.js': 'loaded by Import cURL',
  'json-location.js': 'loaded with the first diagnostic',
  'undici-fetch-body.js': 'loaded only to send a FormData or Blob body (never)',
  'llhttp-wasm.js': 'loaded only without WebAssembly SIMD',
  'cli.js': 'the stcrm command (not loaded by the extension)',
  'forms.js': "loaded in each form's webview",
  'forms.css': "loaded in each form's webview",
};

function printSizes(sizes: Sizes): void {
  console.log('Production bundle (minified, no source maps) and VSIX');
  const main = sizes.files.find((file) => file.name === 'extension.js');
  for (const file of sizes.files) {
    const when = LOADED[file.name] ?? (file.name.startsWith('chunk-') ? 'loaded with the first lazy file that imports it' : '');
    console.log(`  dist/${file.name.padEnd(20)} ${kb(file.bytes).padStart(10)}   ${when}`);
    for (const [part, bytes] of file.parts.slice(0, 8))
      console.log(`      ${part.padEnd(26)} ${kb(bytes).padStart(10)}  ${((bytes / file.bytes) * 100).toFixed(1).padStart(5)} %`);
  }
  const total = sizes.files.reduce((sum, file) => sum + file.bytes, 0);
  console.log(
    `  VSIX ${kb(sizes.vsixBytes)} zipped, ${kb(sizes.vsixUnpackedBytes)} unpacked, ${sizes.vsixFiles} files; zip ratio ×${(sizes.vsixUnpackedBytes / sizes.vsixBytes).toFixed(2)}`,
  );
  if (main) console.log(`  activation share: extension.js is ${((main.bytes / total) * 100).toFixed(1)} % of the bundle's ${kb(total)}`);
  const imported = sizes.staticOnActivation.filter((name) => name !== 'extension.js');
  console.log(`  extension.js imports at its top level: ${imported.length > 0 ? imported.join(', ') : 'no other file'}`);
}

/** `files` as "name size" items, and their total. */
function describeFiles(files: Record<string, number>, except: Record<string, number> = {}): string {
  const added = Object.entries(files).filter(([name]) => !(name in except));
  const total = Object.values(files).reduce((sum, bytes) => sum + bytes, 0);
  return `${kb(total).padStart(10)}   ${Object.keys(except).length > 0 ? '+ ' : ''}${added.map(([name, bytes]) => `${name} (${kb(bytes)})`).join(', ') || 'nothing more'}`;
}

/** Bundle bytes in Node's require cache: the same in every run of a build (the runs' file lists are checked alike). */
function printLoaded(label: string, runs: readonly ActivationRun[]): void {
  const [first] = runs;
  if (!first) return;
  const same = runs.every(
    (run) => JSON.stringify(run.onActivation) === JSON.stringify(first.onActivation) && JSON.stringify(run.onFirstPage) === JSON.stringify(first.onFirstPage),
  );
  console.log(`  ${label}${same ? '' : ' (the runs loaded different files: the first run shown)'}`);
  console.log(`    on activation          ${describeFiles(first.onActivation)}`);
  console.log(`    on the first tree page ${describeFiles(first.onFirstPage, first.onActivation)}`);
}

const total = (files: Record<string, number> | undefined): number => Object.values(files ?? {}).reduce((sum, bytes) => sum + bytes, 0);

function printPrism(p: PrismComparison): void {
  console.log(`\nSandbox vs Prism ${PRISM_VERSION} mock server on the official document (static example), GET /tenant/{tenant}/customers?page=1&pageSize=50`);
  console.log(`  ${p.calls} sequential calls each through plain undici.request after a warm-up, both servers child processes without request logs`);
  console.log(`  ${''.padEnd(18)} ${'median'.padStart(9)} ${'p95'.padStart(9)} ${'calls/s'.padStart(9)}   answer`);
  const line = (label: string, side: PrismComparison['sandbox'], answer: string): void =>
    console.log(
      `  ${label.padEnd(18)} ${ms(side.medianMs).padStart(9)} ${ms(side.p95Ms).padStart(9)} ${side.callsPerSecond.toFixed(0).padStart(9)}   ${answer}, ${kb(side.bodyBytes)}`,
    );
  line('sandbox', p.sandbox, `${p.sandbox.items} customers`);
  line('Prism', p.prism, `${p.prism.items} customer (the document's example)`);
  console.log(
    `  ratio sandbox/Prism: median ${ratio(p.sandbox.medianMs, p.prism.medianMs)}, p95 ${ratio(p.sandbox.p95Ms, p.prism.p95Ms)}, calls/s ${ratio(p.sandbox.callsPerSecond, p.prism.callsPerSecond)}   (Prism took ${(p.prismStartMs / 1000).toFixed(1)} s to start)`,
  );
}

function printScale(small: SizeResult, large: SizeResult, smallWrites: WriteCost, largeWrites: WriteCost): void {
  const label = (n: number): string => (n >= 1000 && n % 1000 === 0 ? `${n / 1000}k` : String(n));
  console.log(
    `\nSandbox with ${count(small.customers)} vs ${count(large.customers)} customers: a child process each (out/sandbox/cli.js), plain undici.request, pageSize 50;`,
  );
  console.log('  after a warm-up call, the median of 21 runs (5 when a call takes over 20 ms, 3 counting the first when over 250 ms);');
  console.log(`  filter rows and the other lists ask for includeTotal; peak RSS is the ${label(large.customers)} sandbox's VmHWM after the row`);
  console.log(
    `  ${'row'.padEnd(36)} ${label(small.customers).padStart(10)} ${label(large.customers).padStart(10)} ${'ratio'.padStart(8)} ${'peak RSS'.padStart(9)}   totalCount or page`,
  );
  const line = (name: string, a: string, b: string, r: string, peak = '', note = ''): void =>
    console.log(`  ${name.padEnd(36)} ${a.padStart(10)} ${b.padStart(10)} ${r.padStart(8)} ${peak.padStart(9)}   ${note}`);
  line(
    'start (until it prints credentials)',
    ms(small.startMs),
    ms(large.startMs),
    ratio(large.startMs, small.startMs),
    mb(large.memoryAfterStart?.peakRssBytes),
  );
  type Row = SizeResult['rows'][number];
  const cell = (row: Row | undefined): string => (!row ? 'n/a' : row.status === 200 ? ms(row.ms) : `HTTP ${row.status}`);
  const note = (row: Row | undefined): string =>
    !row ? '' : row.totalCount !== undefined ? count(row.totalCount) : row.page > 1 ? `page ${count(row.page)}` : '';
  for (const row of small.rows) {
    const other = large.rows.find((r) => r.label === row.label);
    const notes = note(row) || note(other) ? `${note(row)} / ${note(other)}` : '';
    line(row.label, cell(row), cell(other), row.status === 200 && other?.status === 200 ? ratio(other.ms, row.ms) : '', mb(other?.peakRssBytes), notes);
  }
  const after = (s: SizeResult) => s.memoryAfterQueries;
  line(
    'RSS after start',
    mb(small.memoryAfterStart?.rssBytes),
    mb(large.memoryAfterStart?.rssBytes),
    ratio(large.memoryAfterStart?.rssBytes, small.memoryAfterStart?.rssBytes),
  );
  line('RSS after all queries', mb(after(small)?.rssBytes), mb(after(large)?.rssBytes), ratio(after(large)?.rssBytes, after(small)?.rssBytes));
  line(
    'peak RSS (VmHWM) by then',
    mb(after(small)?.peakRssBytes),
    mb(after(large)?.peakRssBytes),
    ratio(after(large)?.peakRssBytes, after(small)?.peakRssBytes),
  );
  line(
    `--data write, median of ${largeWrites.writes} PATCH`,
    ms(smallWrites.writeMs),
    ms(largeWrites.writeMs),
    ratio(largeWrites.writeMs, smallWrites.writeMs),
    '',
    `after 20 warm-up writes; data dir ${kb(smallWrites.dataBytes)} / ${kb(largeWrites.dataBytes)}`,
  );
  const later = largeWrites.afterCreates;
  if (later) {
    line(
      `  the same after ${count(later.creates)} creates`,
      '',
      ms(later.writeMs),
      ratio(later.writeMs, largeWrites.writeMs),
      '',
      `ratio to the first writes; data dir ${kb(later.dataBytes)}; a create costs ${ms(later.createMs)} by then${later.stoppedByBudget ? '; creates stopped at the time budget' : ''}`,
    );
  }
}

async function main(): Promise<void> {
  console.log(`npm run bench · ${new Date().toISOString()} · ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'CPU'} · Node ${process.versions.node}\n`);
  const sizes = await measureSizes();
  printSizes(sizes);

  const runs = Number(process.env.STCRM_BENCH_ACTIVATION_RUNS ?? 3);
  const activation = await measureActivation(runs);
  const vsixTimes = activation.vsix.map((run) => run.activationMs);
  const developmentTimes = activation.development.map((run) => run.activationMs);
  const vsix = median(vsixTimes);
  const development = median(developmentTimes);
  console.log(`\nActivation in code-server 4.100.3 (VS Code 1.100.3), fresh host each run, median of ${runs}`);
  console.log(`  installed VSIX      ${ms(vsix).padStart(10)}   (runs: ${vsixTimes.map(ms).join(', ')})`);
  console.log(`  development build   ${ms(development).padStart(10)}   (runs: ${developmentTimes.map(ms).join(', ')})`);
  console.log(`  ratio VSIX/development ×${(vsix / development).toFixed(2)}`);
  console.log(
    "Bundle files loaded in the extension host (Node's require cache), when `activate` returned and once the tree drew its first page from a sandbox",
  );
  printLoaded('installed VSIX (production build)', activation.vsix);
  printLoaded('development build (source maps, not minified)', activation.development);
  const loaded = activation.vsix[0];
  const bundleSummary = `extension.js ${kb(sizes.files.find((file) => file.name === 'extension.js')?.bytes ?? 0)}, loaded on activation ${kb(total(loaded?.onActivation))} / by the first tree page ${kb(total(loaded?.onFirstPage))} (VSIX), VSIX ${kb(sizes.vsixBytes)}, activation ${ms(vsix)} (VSIX) / ${ms(development)} (development)`;
  if (process.env.STCRM_BENCH_ONLY === 'bundle') {
    console.log(`\nSummary: ${bundleSummary}`);
    return;
  }

  const prism = await measurePrismVsSandbox(1000);
  printPrism(prism);

  const small = await measureSize(100);
  const large = await measureSize(100_000);
  const smallWrites = await measureDataWrites(100);
  const largeWrites = await measureDataWrites(100_000, { creates: 5000, createBudgetMs: 45_000 });
  printScale(small, large, smallWrites, largeWrites);

  const overhead = await measureClientOverhead(1000);
  const perCall = (total: number): string => `${((total / overhead.calls) * 1000).toFixed(0)} µs`;
  console.log(
    `\nClient vs plain undici.request, ${overhead.calls} sequential GETs of 50 customers (same sandbox, limiter out of the way; median of ${overhead.rounds.length} interleaved rounds)`,
  );
  console.log(`  CrmClient           ${ms(overhead.clientMs).padStart(10)}   ${perCall(overhead.clientMs)} per call`);
  console.log(`  undici.request      ${ms(overhead.rawMs).padStart(10)}   ${perCall(overhead.rawMs)} per call`);
  const spread = overhead.rounds.map((round) => round.clientMs / round.rawMs).sort((a, b) => a - b);
  console.log(
    `  ratio client/raw ×${overhead.ratio.toFixed(2)} wall time (rounds ×${(spread[0] ?? 0).toFixed(2)}–×${(spread[spread.length - 1] ?? 0).toFixed(2)}), ×${overhead.cpuRatio.toFixed(2)} CPU time (budget ×1.15)`,
  );

  const limited = await measureRateLimit(600, 60);
  const mustBeZero = (n: number): string => (n === 0 ? '(must be 0)' : '(must be 0: FAIL)');
  console.log(
    `\nClient limiter vs the sandbox enforcing ${limited.limit} calls/s (--rate-limit ${limited.limit}), ${limited.calls} concurrent calls from a fresh transport`,
  );
  console.log(
    `  calls per second    ${limited.callsPerSecond.toFixed(1).padStart(10)}   limit ${limited.limit}   ratio ×${(limited.callsPerSecond / limited.limit).toFixed(2)}   (${limited.calls} calls in ${(limited.elapsedMs / 1000).toFixed(2)} s)`,
  );
  console.log(
    `  most in a rolling s ${String(limited.maxArrivalsInAnyWindow).padStart(10)}   limit ${limited.limit}   ratio ×${(limited.maxArrivalsInAnyWindow / limited.limit).toFixed(2)}   (as the server counted them; ${limited.maxInAnyWindow} accepted)`,
  );
  console.log(
    `  429 responses       ${String(limited.rejected).padStart(10)}   ${mustBeZero(limited.rejected)}${limited.failed > 0 ? `; ${limited.failed} calls failed` : ''}`,
  );

  const suiteOverhead = await measureSuiteOverhead(500);
  console.log(
    `\nSuite engine vs the same calls through CrmClient, a ${suiteOverhead.steps}-step suite (lists, reads, creates; captures, references, expectations), in-process sandbox, limiter out of the way; median of ${suiteOverhead.rounds.length} alternating rounds`,
  );
  console.log(
    `  suite engine        ${ms(suiteOverhead.suiteMs).padStart(10)}   ${((suiteOverhead.suiteMs / suiteOverhead.steps) * 1000).toFixed(0)} µs per step`,
  );
  console.log(
    `  CrmClient           ${ms(suiteOverhead.clientMs).padStart(10)}   ${((suiteOverhead.clientMs / suiteOverhead.steps) * 1000).toFixed(0)} µs per call`,
  );
  const suiteSpread = suiteOverhead.rounds.map((round) => round.suiteMs / round.clientMs).sort((a, b) => a - b);
  console.log(
    `  ratio engine/client ×${suiteOverhead.ratio.toFixed(2)} (rounds ×${(suiteSpread[0] ?? 0).toFixed(2)}–×${(suiteSpread[suiteSpread.length - 1] ?? 0).toFixed(2)})`,
  );

  const suiteLimited = await measureSuiteUnderRateLimit(360, 60);
  console.log(
    `\nstcrm test (dist/cli.js) with a ${suiteLimited.steps}-step suite against the sandbox enforcing ${suiteLimited.limit} calls/s (--rate-limit ${suiteLimited.limit})`,
  );
  console.log(
    `  calls per second    ${suiteLimited.callsPerSecond.toFixed(1).padStart(10)}   limit ${suiteLimited.limit}   (${suiteLimited.steps} steps in ${(suiteLimited.elapsedMs / 1000).toFixed(2)} s, process start included)`,
  );
  console.log(`  most in a rolling s ${String(suiteLimited.maxArrivalsInAnyWindow).padStart(10)}   limit ${suiteLimited.limit}`);
  console.log(
    `  429 responses       ${String(suiteLimited.rejected).padStart(10)}   ${mustBeZero(suiteLimited.rejected)}; exit ${String(suiteLimited.exitCode)}: ${suiteLimited.lastLine}`,
  );

  printCurlImport(measureCurlImport());

  const rowMs = (size: SizeResult, label: string): string => ms(size.rows.find((r) => r.label === label)?.ms ?? Number.NaN);
  const slowest = large.rows.reduce((worst, row) => (row.ms > worst.ms ? row : worst));
  const later = largeWrites.afterCreates;
  console.log(
    `\nSummary: ${bundleSummary}, ` +
      `sandbox median ${ms(prism.sandbox.medianMs)} vs Prism ${ms(prism.prism.medianMs)} per call (×${(prism.sandbox.medianMs / prism.prism.medianMs).toFixed(2)}), ` +
      `first page ${rowMs(small, 'customers first page')} (100) / ${rowMs(large, 'customers first page')} (100,000 customers), with includeTotal ${rowMs(small, 'customers includeTotal')} / ${rowMs(large, 'customers includeTotal')}, ` +
      `slowest list row at 100,000 ${ms(slowest.ms)} (${slowest.label}), RSS ${mb(large.memoryAfterQueries?.rssBytes)} (peak ${mb(large.memoryAfterQueries?.peakRssBytes)}) at 100,000, ` +
      `--data write ${ms(smallWrites.writeMs)} / ${ms(largeWrites.writeMs)}${later ? ` / ${ms(later.writeMs)} after ${count(later.creates)} creates` : ''}, ` +
      `client ×${overhead.ratio.toFixed(2)} of raw undici, limiter ${limited.callsPerSecond.toFixed(1)}/s of ${limited.limit} (×${(limited.callsPerSecond / limited.limit).toFixed(2)}) with ${limited.rejected} × 429, ` +
      `suite engine ×${suiteOverhead.ratio.toFixed(2)} of CrmClient over ${suiteOverhead.steps} steps, a suite under --rate-limit ${suiteLimited.limit} with ${suiteLimited.rejected} × 429`,
  );
  const failedRows = [...small.rows, ...large.rows].filter((row) => row.status !== 200);
  if (failedRows.length > 0) throw new Error(`list rows answered an error: ${failedRows.map((row) => `${row.label} → HTTP ${row.status}`).join(', ')}`);
  if (limited.rejected > 0 || limited.failed > 0)
    throw new Error(`the client's limiter got ${limited.rejected} × 429 from a sandbox enforcing the same ${limited.limit} calls/s`);
  if (suiteLimited.rejected > 0 || suiteLimited.exitCode !== 0)
    throw new Error(`the suite under --rate-limit ${suiteLimited.limit} got ${suiteLimited.rejected} × 429 and exited ${String(suiteLimited.exitCode)}`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
