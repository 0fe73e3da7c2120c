/**
 * The text of a run, as `stcrm test` prints it and the Testing view's output shows it: each suite,
 * each step as it finishes (✓ passed, ✗ failed, - skipped, ! error, with its time), every unmet
 * expectation with expected, actual and `file:line:col`, and a last line `N passed, N failed,
 * N skipped`. Every line goes through `clean` (redaction) first, then `printable` (no terminal
 * control characters). Plain Node.
 */
import type { RunResults, StepResult, SuiteEvent, SuiteResult } from './runner';
import type { SourceLocation } from './source';
import type { SuiteProblem } from './suiteFile';

const VALUE_SHOWN = 400;
const MARK = { passed: '✓', failed: '✗', skipped: '-', errored: '!' } as const;

export class TextReport {
  private teardownShown = false;

  constructor(
    private readonly write: (text: string) => void,
    private readonly clean: (text: string) => string,
  ) {}

  /** One line: redacted, then with every control character escaped (a line feed in a name included). */
  line(text = ''): void {
    this.write(`${printable(this.clean(text))}\n`);
  }

  /** Prints the run as it goes: hand every engine event here. */
  onEvent(event: SuiteEvent): void {
    switch (event.type) {
      case 'suiteStarted':
        this.teardownShown = false;
        this.line(`${event.suite.name}  (${event.suite.file})`);
        break;
      case 'stepPassed':
      case 'stepFailed':
      case 'stepSkipped':
      case 'stepErrored':
        this.step(event.result);
        break;
      case 'suiteErrored':
        if (event.result.problems.length > 0) {
          // A file that could not be read has no name but its file's.
          this.line(event.suite.name === event.suite.file ? event.suite.file : `${event.suite.name}  (${event.suite.file})`);
          this.problems(event.result.problems, '  ');
        }
        this.line();
        break;
      case 'suiteSkipped':
        this.line(`- ${event.suite.name}  (${event.suite.file}): ${event.result.steps[0]?.skipReason ?? 'skipped'}`);
        break;
      case 'suitePassed':
      case 'suiteFailed':
        this.line();
        break;
      case 'stepStarted':
        break;
    }
  }

  /** The problems of files that were not run, each at its place. */
  problems(problems: readonly SuiteProblem[], indent = ''): void {
    for (const problem of problems) this.line(`${indent}${place(problem.location)}: ${problem.message}`);
  }

  /** The last line: `N passed, N failed, N skipped` (and errors, when there were any). */
  summary(results: RunResults): void {
    const errored = results.errored > 0 ? `, ${results.errored} errored` : '';
    const suitesInError = results.suites.filter((suite) => suite.problems.length > 0).length;
    const files = suitesInError > 0 ? `, ${suitesInError} suite${suitesInError === 1 ? '' : 's'} could not run` : '';
    if (results.cancelled)
      this.line(
        results.teardownCancelled
          ? 'Cancelled: the steps after the cancel were skipped, and the teardown was stopped too: what it did not undo is still there.'
          : 'Cancelled: the steps after the cancel were skipped; the teardown ran.',
      );
    this.line(`${results.passed} passed, ${results.failed} failed, ${results.skipped} skipped${errored}${files}`);
  }

  private step(result: StepResult): void {
    if (result.phase === 'teardown' && !this.teardownShown) {
      this.teardownShown = true;
      this.line('  teardown');
    }
    const indent = result.phase === 'teardown' ? '    ' : '  ';
    const time = result.status === 'skipped' ? '' : ` (${formatMs(result.durationMs)})`;
    this.line(`${indent}${MARK[result.status]} ${result.name}${time}`);
    const detail = `${indent}    `;
    if (result.skipReason) this.line(`${detail}${result.skipReason}`);
    for (const failure of result.failures) {
      this.line(`${detail}${failure.message}`);
      this.line(`${detail}  expected: ${shown(failure.expected)}`);
      this.line(`${detail}  actual:   ${shown(failure.actual)}`);
      this.line(`${detail}  at ${place(failure.location)}`);
    }
    for (const error of result.errors) {
      this.line(`${detail}${error.message}`);
      this.line(`${detail}  at ${place(error.location)}`);
    }
    if ((result.failures.length > 0 || result.errors.length > 0) && result.exchange) {
      const { method, url, status, traceId } = result.exchange;
      this.line(`${detail}  ${method} ${url} → ${status}${traceId ? ` (trace ID ${traceId})` : ''}`);
    }
  }
}

/**
 * Text safe for a terminal: C0 and C1 control characters and DEL become `\x1b`-style escapes, so a
 * name in a suite file or a title from a server cannot move the cursor, recolour, retitle or clear
 * the terminal, nor fake a line. `keepNewlines` keeps the line feeds a message of ours means.
 * Everything the CLI prints that came from a file or a server goes through here.
 */
export function printable(text: string, keepNewlines = false): string {
  let out = '';
  let from = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (!(code < 0x20 || (code >= 0x7f && code <= 0x9f)) || (keepNewlines && code === 0x0a)) continue;
    out += `${text.slice(from, i)}\\x${code.toString(16).padStart(2, '0')}`;
    from = i + 1;
  }
  return from === 0 ? text : out + text.slice(from);
}

export function place(location: SourceLocation): string {
  return `${location.file}:${location.line}:${location.column}`;
}

/** A value as JSON, cut short; `(nothing)` for a value that is not there. */
export function shown(value: unknown): string {
  if (value === undefined) return '(nothing)';
  const text = JSON.stringify(value) ?? typeof value;
  return text.length > VALUE_SHOWN ? `${text.slice(0, VALUE_SHOWN)}… (${text.length - VALUE_SHOWN} more characters)` : text;
}

function formatMs(ms: number): string {
  return ms < 10 ? `${ms.toFixed(1)} ms` : `${Math.round(ms)} ms`;
}

/** The suites of a run with a failed or errored step. */
export function failedSuites(results: RunResults): SuiteResult[] {
  return results.suites.filter((suite) => suite.failed > 0 || suite.errored > 0 || suite.problems.length > 0);
}
