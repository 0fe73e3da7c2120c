// Public entry point of the local ServiceTitan CRM v2 sandbox (pure Node; never imports vscode).
export { startSandbox } from './server';
export type { FaultRule, RunningSandbox, SandboxClient, SandboxCredentials, SandboxOptions } from './types';
export { parseFaultFlag } from './faults';
