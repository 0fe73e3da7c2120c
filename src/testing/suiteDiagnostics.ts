/**
 * Problems of suite files while typing: what the engine refuses (parse problems, at their place)
 * and the `{{names}}` that nothing defines for the active profile (`unknownNames`; in the steps
 * that parse when the file has other problems), and the problems of `stcrm.env.json`. Syntax
 * errors are left to VS Code's JSON support, which marks them too. Bounded: the engine reads at most 2 MB and reports at most 50 problems of each kind.
 */
import * as vscode from 'vscode';
import { Disposable } from '../common/lifecycle';
import { DIAGNOSTIC_SOURCE } from '../diagnostics/problemDiagnostics';
import { parseEnvironmentFile, SHARED, unknownNames, type EnvironmentFile, type SuiteProblem, SuiteSource } from '../suites';
import { rangeOf, type SuiteFile } from './suiteFiles';

export class SuiteDiagnostics extends Disposable {
  private readonly collection = this.register(vscode.languages.createDiagnosticCollection('stcrm-suites'));

  /** The problems of a suite file just parsed from its document's text; `names` are the environment's. */
  setSuite(file: SuiteFile, names: ReadonlySet<string>): void {
    const { parsed } = file;
    // A suite with problems still has its unknown names checked in the steps that parsed.
    const problems = parsed.ok
      ? unknownNames(parsed.suite, names)
      : [...parsed.problems, ...(parsed.partial ? unknownNames(parsed.partial.suite, new Set([...names, ...parsed.partial.captured])) : [])];
    this.collection.set(file.uri, diagnostics(problems, file.source));
  }

  /** The problems of an environment file's text. */
  setEnvironment(uri: vscode.Uri, text: string): void {
    const name = vscode.workspace.asRelativePath(uri);
    const parsed = parseEnvironmentFile(text, name);
    this.collection.set(uri, parsed.ok ? [] : diagnostics(parsed.problems, new SuiteSource(name, text)));
  }

  delete(uri: vscode.Uri): void {
    this.collection.delete(uri);
  }
}

/**
 * The names a suite may use without defining them: the environment's for the active profile
 * (`$shared` and the profile's section); with no profile active, those of every section, since
 * any of them may be the one that runs.
 */
export function environmentNames(environment: EnvironmentFile | undefined, profile: string | undefined): Set<string> {
  const names = new Set<string>();
  for (const [section, variables] of environment?.sections ?? []) {
    if (section === SHARED || profile === undefined || section === profile) for (const name of variables.keys()) names.add(name);
  }
  return names;
}

function diagnostics(problems: readonly SuiteProblem[], source: SuiteSource): vscode.Diagnostic[] {
  return problems
    .filter((problem) => !problem.editorReports)
    .map((problem) => {
      const diagnostic = new vscode.Diagnostic(rangeOf(source, problem.location), problem.message, vscode.DiagnosticSeverity.Error);
      diagnostic.source = DIAGNOSTIC_SOURCE;
      return diagnostic;
    });
}
