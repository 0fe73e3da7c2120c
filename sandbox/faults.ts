// Fault injection: rules are matched per request (method + path filter), fire with probability
// `rate`, and expire after `count` hits so tests can be deterministic.
import * as z from 'zod';
import type { FaultRule } from './types';

export const faultRuleSchema = z.object({
  kind: z.enum(['latency', 'error5xx', 'rateLimit', 'reset', 'truncate']),
  method: z.string().min(1).optional(),
  path: z.string().min(1).optional(),
  rate: z.number().min(0).max(1).optional(),
  count: z.number().int().min(1).optional(),
  latencyMs: z.number().int().min(0).max(600_000).optional(),
  status: z.number().int().min(500).max(599).optional(),
  retryAfter: z.union([z.number().int().min(0), z.literal('http-date'), z.literal('none')]).optional(),
}).strict();

export function validateFaultRule(input: unknown): FaultRule {
  return faultRuleSchema.parse(input);
}

/** What the server must do for one request: optional delay, then at most one failure. */
export interface FaultDecision {
  latencyMs: number;
  failure?: FaultRule;
}

export class FaultSet {
  private rules: Array<{ rule: FaultRule; remaining: number | undefined; regex: RegExp | undefined }> = [];

  constructor(initial: FaultRule[] = []) {
    for (const r of initial) this.add(r);
  }

  add(rule: FaultRule): void {
    const valid = validateFaultRule(rule);
    let regex: RegExp | undefined;
    if (valid.path !== undefined) {
      try { regex = new RegExp(valid.path); } catch { regex = undefined; }
    }
    this.rules.push({ rule: valid, remaining: valid.count, regex });
  }
  clear(): void { this.rules = []; }
  list(): FaultRule[] {
    return this.rules.map(({ rule, remaining }) => (remaining === undefined ? { ...rule } : { ...rule, count: remaining }));
  }

  /** `path` is relative to /crm/v2/tenant/{tenant} (or '/connect/token'). Consumes matching rules. */
  decide(method: string, path: string): FaultDecision {
    const decision: FaultDecision = { latencyMs: 0 };
    for (const entry of [...this.rules]) {
      const { rule } = entry;
      if (rule.method && rule.method.toUpperCase() !== method.toUpperCase()) continue;
      if (rule.path !== undefined && !path.startsWith(rule.path) && !(entry.regex?.test(path) ?? false)) continue;
      if (rule.kind !== 'latency' && decision.failure) continue;
      if (Math.random() >= (rule.rate ?? 1)) continue;
      if (entry.remaining !== undefined) {
        entry.remaining -= 1;
        if (entry.remaining <= 0) this.rules = this.rules.filter((r) => r !== entry);
      }
      if (rule.kind === 'latency') decision.latencyMs += rule.latencyMs ?? 1000;
      else decision.failure = rule;
    }
    return decision;
  }
}

/** Parses the CLI form `kind=rateLimit,path=/customers,rate=0.2,retryAfter=http-date`. */
export function parseFaultFlag(text: string): FaultRule {
  const obj: Record<string, string | number> = {};
  for (const part of text.split(',')) {
    const eq = part.indexOf('=');
    if (eq < 0) throw new Error(`fault option '${part}' must look like key=value`);
    const key = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    const numeric = ['rate', 'count', 'latencyMs', 'status'].includes(key) || (key === 'retryAfter' && /^\d+$/.test(value));
    obj[key] = numeric ? Number(value) : value;
  }
  return validateFaultRule(obj);
}
