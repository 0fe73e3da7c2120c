/**
 * The test suite engine (`*.stcrm-suite.json`), one vscode-free module for the CLI, the Testing
 * view, CodeLens and `stcrm.runTests`: parse a suite (`parseSuite`, problems with their places),
 * the environment (`parseEnvironmentFile`, `environmentFor`), run (`runSuites`, `runSuite`) on a
 * connection or a fresh sandbox per suite (`freshSandboxPerSuite`), with events and a results object.
 */
export { ENVIRONMENT_FILE, SHARED, environmentFor, parseEnvironmentFile, type EnvironmentFile, type ParsedEnvironment } from './environment';
export type { ExpectationKind } from './expectations';
export { FRESH_SANDBOX_PROFILE, freshSandboxPerSuite, startSuiteSandbox, type FreshSandboxOptions } from './freshSandbox';
export {
  runSuite,
  runSuites,
  stepId,
  suiteWrites,
  type Counts,
  type LeasedConnection,
  type RunResults,
  type StepError,
  type StepExchange,
  type StepFailure,
  type StepInfo,
  type StepResult,
  type StepStatus,
  type SuiteConnections,
  type SuiteEvent,
  type SuiteInfo,
  type SuiteInput,
  type SuiteResult,
  type SuiteRunOptions,
  type SuiteStatus,
} from './runner';
export { SuiteSource, type SourceLocation } from './source';
export { TextReport } from './report';
export {
  MAX_STEPS,
  MAX_SUITE_LENGTH,
  SUITE_FILE,
  parseSuite,
  unknownNames,
  type ParsedSuite,
  type StepPhase,
  type Suite,
  type SuiteProblem,
  type SuiteSandbox,
  type SuiteStep,
} from './suiteFile';
export { defaultBuiltIns, resolveValue, type BuiltIns, type Resolved, type Scope, type TemplateProblem } from './templates';
