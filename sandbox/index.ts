// Public entry point of the local ServiceTitan CRM v2 sandbox (pure Node; never imports vscode).
export { startSandbox } from './server';
export { runSandboxCli } from './cliMain';
export { DataFileInUseError, type LockHolder } from './dataFileLock';
export type { FaultRule, RateLimitStats, RunningSandbox, SandboxClient, SandboxCredentials, SandboxOptions, SandboxRateLimit } from './types';
export { MAX_RATE_LIMIT_PER_SECOND, maxInWindow } from './rateLimit';
export { parseFaultFlag } from './faults';
