/**
 * The MCP server's confirmation tokens: a write is two calls, and the second must carry the token
 * the first handed out. A token is random, used once (any use spends it), expires after two
 * minutes, and is bound to the exact request (the prepared write's fingerprint: profile, tenant,
 * and every call's method, URL and body), so an approved request is the one that is sent.
 */
import { randomBytes } from 'node:crypto';

export const TOKEN_TTL_MS = 2 * 60_000;
const MAX_TOKENS = 100;

/** Retired tokens remembered, for an honest answer to a late use. */
const MAX_RETIRED = 1000;

const RETIRED: Record<'used' | 'expired' | 'replaced' | 'unknown', (ttlMs: number) => string> = {
  used: () => 'this confirmationToken was already used (each token works once)',
  expired: (ttlMs) => `this confirmationToken expired (tokens last ${Math.round(ttlMs / 1000)} seconds)`,
  replaced: () => `this confirmationToken expired early: more than ${MAX_TOKENS} newer tokens were handed out since`,
  unknown: () => 'this confirmationToken is unknown to this server (mistyped, or from a server that was restarted)',
};

export type Redeemed = { ok: true } | { ok: false; reason: string };

export class ConfirmationTokens {
  private readonly tokens = new Map<string, { fingerprint: string; expires: number }>();
  /** Tokens that stopped working, and why: a late or second use is told so, not "unknown". Bounded. */
  private readonly retired = new Map<string, 'used' | 'expired' | 'replaced'>();

  constructor(
    private readonly now: () => number = Date.now,
    readonly ttlMs = TOKEN_TTL_MS,
  ) {}

  issue(fingerprint: string): string {
    this.expire();
    // The oldest go first: a client asking for tokens without end cannot grow the map.
    while (this.tokens.size >= MAX_TOKENS) this.retire(this.tokens.keys().next().value as string, 'replaced');
    const token = randomBytes(18).toString('base64url');
    this.tokens.set(token, { fingerprint, expires: this.now() + this.ttlMs });
    return token;
  }

  /** Spends the token: it confirms `fingerprint` if it was issued for it and has not expired. */
  redeem(token: string, fingerprint: string): Redeemed {
    this.expire();
    const found = this.tokens.get(token);
    if (!found) return { ok: false, reason: RETIRED[this.retired.get(token) ?? 'unknown'](this.ttlMs) };
    this.retire(token, 'used');
    if (found.fingerprint !== fingerprint)
      return { ok: false, reason: 'this confirmationToken was issued for a different request (other arguments, profile or tenant)' };
    return { ok: true };
  }

  private expire(): void {
    const now = this.now();
    for (const [token, entry] of this.tokens) if (entry.expires <= now) this.retire(token, 'expired');
  }

  private retire(token: string, why: 'used' | 'expired' | 'replaced'): void {
    this.tokens.delete(token);
    this.retired.delete(token);
    this.retired.set(token, why);
    while (this.retired.size > MAX_RETIRED) this.retired.delete(this.retired.keys().next().value as string);
  }
}
