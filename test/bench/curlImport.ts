/**
 * Import cURL on pasted commands of 10 KB, 100 KB and 1 MB (the importer's limit), three kinds
 * each: many flags and headers around a big JSON body; many query parameters; many credentials
 * (Authorization headers) with a body that repeats some of them, so the scrub has work. The CPU
 * time per KB should stay about flat from 10 KB to 1 MB: that is the importer being linear (at
 * 1 MB the query row builds an object of ~78,000 keys, which V8 and its GC make dearer per key).
 * Before issue 18, 80,000 flags took 2.9 s and a 1 MB paste over 20 s.
 */
import { importCurl } from '../../src/requests/curlImport';
import { median } from './stats';

const BASE = 'https://api.servicetitan.io/crm/v2/tenant/1234567';
/** importCurl refuses longer commands; "1 MB" is this. */
const LIMIT = 1_000_000;
export const CURL_SIZES = [10_000, 100_000, LIMIT] as const;

export interface CurlImportRow {
  kind: string;
  /** Characters in the command. */
  chars: number;
  medianMs: number;
  /** Median CPU time of this process (user + system): less stretched by other load on the machine. */
  medianCpuMs: number;
  runs: number;
}

/** Words from `unit(i)` until the command would pass `chars`, then `tail` (which the size includes). */
function fill(head: string, unit: (i: number) => string, tail: string, chars: number): string {
  const parts = [head];
  let length = head.length + tail.length;
  for (let i = 0; ; i++) {
    const part = ` ${unit(i)}`;
    if (length + part.length > chars) break;
    parts.push(part);
    length += part.length;
  }
  return parts.join('') + tail;
}

/** A command of about `chars` characters; each kind imports (the bench checks it). */
export function curlCommand(kind: string, chars: number): string {
  switch (kind) {
    case 'flags, headers, body': {
      // Half flags and headers, half body; a body at most what a request file may hold (250,000 characters).
      const body = JSON.stringify({ name: 'x'.repeat(Math.min(Math.floor(chars / 2), 200_000) - 100) });
      return fill(`curl -X PATCH ${BASE}/customers/5`, (i) => (i % 3 === 0 ? `-H 'X-Trace-${i}: ${i}'` : '-sS'), ` --data-raw '${body}'`, chars);
    }
    case 'query parameters': {
      const url = fill(`curl '${BASE}/customers?pageSize=5`, (i) => `x${i}=${i}`, "'", chars);
      return url.replace(/ x/g, '&x');
    }
    case 'credentials': {
      const token = (i: number): string => `tok-${i.toString(36)}-${(i * 7919).toString(36)}`;
      const body = JSON.stringify({ name: Array.from({ length: Math.floor(chars / 400) }, (_, i) => token(i * 3)).join(' ') });
      return fill(`curl -X PATCH ${BASE}/customers/5`, (i) => `-H 'Authorization: Bearer ${token(i)}'`, ` --data-raw '${body}'`, chars);
    }
    default:
      throw new Error(`no command of kind ${kind}`);
  }
}

export const CURL_KINDS = ['flags, headers, body', 'query parameters', 'credentials'] as const;

/** The median time of importing each kind at each size, after a warm-up of the small sizes. */
export function measureCurlImport(): CurlImportRow[] {
  for (const kind of CURL_KINDS) for (let i = 0; i < 20; i++) importCurl(curlCommand(kind, 10_000));
  const rows: CurlImportRow[] = [];
  for (const kind of CURL_KINDS) {
    for (const chars of CURL_SIZES) {
      const command = curlCommand(kind, chars);
      const runs = chars >= LIMIT ? 5 : chars >= 100_000 ? 11 : 41;
      const times: number[] = [];
      const cpu: number[] = [];
      for (let i = 0; i < runs; i++) {
        const start = performance.now();
        const startCpu = process.cpuUsage();
        const result = importCurl(command);
        const used = process.cpuUsage(startCpu);
        times.push(performance.now() - start);
        cpu.push((used.user + used.system) / 1000);
        if (!result.ok) throw new Error(`the ${kind} command of ${command.length} characters was not imported: ${result.message}`);
      }
      rows.push({ kind, chars: command.length, medianMs: median(times), medianCpuMs: median(cpu), runs });
    }
  }
  return rows;
}

/** The rows as `npm run bench` prints them: wall and CPU ms, CPU µs per KB, and that per-KB cost against the 10 KB command's. */
export function printCurlImport(rows: readonly CurlImportRow[]): void {
  console.log('\nImport cURL, median per command (the input box imports commands up to 64 KB on each keystroke, longer ones on Enter)');
  console.log(
    `  ${'command'.padEnd(22)} ${'size'.padStart(8)} ${'wall'.padStart(10)} ${'CPU'.padStart(10)} ${'CPU per KB'.padStart(11)} ${'per KB vs 10 KB'.padStart(16)}`,
  );
  const perKb = (r: CurlImportRow): number => r.medianCpuMs / (r.chars / 1024);
  for (const row of rows) {
    const first = rows.find((r) => r.kind === row.kind);
    const cells = [
      `${(row.chars / 1024).toFixed(0)} KB`.padStart(8),
      `${row.medianMs.toFixed(1)} ms`.padStart(10),
      `${row.medianCpuMs.toFixed(1)} ms`.padStart(10),
      `${(perKb(row) * 1000).toFixed(0)} µs`.padStart(11),
    ];
    console.log(`  ${row.kind.padEnd(22)} ${cells.join(' ')} ${first ? `×${(perKb(row) / perKb(first)).toFixed(2)}`.padStart(16) : ''}`);
  }
}

if (require.main === module) printCurlImport(measureCurlImport());
