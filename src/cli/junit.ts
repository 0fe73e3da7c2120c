/**
 * `--junit FILE`: the run as JUnit XML for CI (junit-report-builder): a `<testsuite>` per suite
 * file, a `<testcase>` per step (teardown steps named `teardown: …`), failures with expected,
 * actual and `file:line:col`, errors, skips with their reason. Text is redacted and made safe for
 * XML first: characters XML 1.0 cannot hold are dropped, and `]]>` cannot end a CDATA section.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import junit from 'junit-report-builder';
import type { RunResults, StepResult, SuiteResult } from '../suites';
import { place, shown } from '../suites/report';

export function junitXml(results: RunResults, clean: (text: string) => string): string {
  const builder = junit.newBuilder();
  const safe = (text: string): string => xmlSafe(clean(text));
  for (const suite of results.suites) {
    const group = builder.testSuite().name(safe(suite.name)).time(seconds(suite.durationMs));
    group.property('file', safe(suite.file));
    if (suite.problems.length > 0) {
      const text = suite.problems.map((problem) => `${place(problem.location)}: ${problem.message}`).join('\n');
      group
        .testCase()
        .className(safe(suite.name))
        .name('suite file')
        .file(safe(suite.file))
        .error(safe(suite.problems[0]?.message ?? 'The suite could not run.'), 'SuiteError', safe(text));
      continue;
    }
    for (const step of [...suite.steps, ...suite.teardown]) addStep(group, suite, step, safe);
  }
  return builder.build();
}

/** Writes the report to `file`, whose folder `prepareJunitFile` made sure of. */
export function writeJunit(file: string, results: RunResults, clean: (text: string) => string): void {
  fs.writeFileSync(file, junitXml(results, clean));
}

/**
 * Makes sure the report can be written to `file` before the run sends anything: it is not a folder,
 * its folder exists (made here, one level at a time, as needed) and a file can be created in it.
 * Answers with what to fix otherwise. Bounded: one step per folder of the path (fs.mkdirSync's own
 * `recursive` loops forever where a folder can never be made, as under /proc).
 */
export function prepareJunitFile(file: string, shown: string): { ok: true } | { ok: false; message: string } {
  const problem = (what: string, error?: unknown): { ok: false; message: string } => {
    const why = error instanceof Error ? ` (${error.message})` : '';
    return { ok: false, message: `--junit ${shown}: ${what}${why}. Name a file in a folder you can write to.` };
  };
  const target = path.resolve(file);
  let existing: fs.Stats | undefined;
  try {
    existing = fs.statSync(target);
  } catch {
    existing = undefined;
  }
  if (existing?.isDirectory()) return problem('that is a folder, not a file');
  if (existing) {
    try {
      fs.accessSync(target, fs.constants.W_OK);
      return { ok: true };
    } catch (error) {
      return problem('the file cannot be written', error);
    }
  }
  // The folders to make, deepest first, up to the first that exists.
  const missing: string[] = [];
  let folder = path.dirname(target);
  for (;;) {
    let stat: fs.Stats | undefined;
    try {
      stat = fs.statSync(folder);
    } catch {
      stat = undefined;
    }
    if (stat) {
      if (!stat.isDirectory()) return problem(`${folder} is a file, not a folder`);
      break;
    }
    missing.push(folder);
    const parent = path.dirname(folder);
    if (parent === folder) break;
    folder = parent;
  }
  for (const made of missing.reverse()) {
    try {
      fs.mkdirSync(made);
    } catch (error) {
      return problem(`the folder ${made} cannot be made`, error);
    }
  }
  // A file made and removed again: the one sure test that the report can be written there.
  try {
    fs.closeSync(fs.openSync(target, 'wx'));
    fs.unlinkSync(target);
  } catch (error) {
    return problem('a file cannot be created there', error);
  }
  return { ok: true };
}

type Group = ReturnType<ReturnType<typeof junit.newBuilder>['testSuite']>;

function addStep(group: Group, suite: SuiteResult, step: StepResult, safe: (text: string) => string): void {
  const test = group
    .testCase()
    .className(safe(suite.name))
    .name(safe(step.phase === 'teardown' ? `teardown: ${step.name}` : step.name))
    .file(safe(step.location.file))
    .time(seconds(step.durationMs));
  const exchange = step.exchange ? `\n${step.exchange.method} ${step.exchange.url} → ${step.exchange.status}` : '';
  if (step.status === 'failed') {
    const details = step.failures.map(
      (failure) => `${failure.message}\n  expected: ${shown(failure.expected)}\n  actual:   ${shown(failure.actual)}\n  at ${place(failure.location)}`,
    );
    details.push(...step.errors.map((error) => `${error.message}\n  at ${place(error.location)}`));
    test.failure(safe(step.failures[0]?.message ?? 'failed'), 'ExpectationFailed').stacktrace(safe(details.join('\n\n') + exchange));
  } else if (step.status === 'errored') {
    const details = step.errors.map((error) => `${error.message}\n  at ${place(error.location)}`).join('\n\n');
    test.error(safe(step.errors[0]?.message ?? 'error'), 'StepError', safe(details + exchange));
  } else if (step.status === 'skipped') {
    test.skipped();
    if (step.skipReason) test.standardOutput(safe(step.skipReason));
  }
}

const seconds = (ms: number): number => Math.round(ms) / 1000;

/**
 * Text XML 1.0 can hold in an attribute or a CDATA section: control characters (but tab, line feed,
 * carriage return), U+FFFE, U+FFFF and half characters become U+FFFD, and `]]>` is broken up.
 */
export function xmlSafe(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    const next = text.charCodeAt(i + 1);
    if (code >= 0xd800 && code <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
      out += text.slice(i, i + 2);
      i++;
    } else if ((code < 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0d) || (code >= 0xd800 && code <= 0xdfff) || code === 0xfffe || code === 0xffff) {
      out += '\uFFFD';
    } else {
      out += text[i] ?? '';
    }
  }
  return out.replace(/\]\]>/g, ']] >');
}
