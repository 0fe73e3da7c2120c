/**
 * The MCP server's confirmation tokens: a write is two calls, and the second must carry the token
 * the first handed out. A token is random, used once (any use spends it), expires after two
 * minutes, and is bound to the exact request (the prepared write's fingerprint: profile, tenant,
 * and every call's method, URL and body), so an approved request is the one that is sent.
 */
import { randomBytes } from 'node:crypto';

export const TOKEN_TTL_MS = 2 * 60_000;
const MAX_TOKENS = 100;

export type Redeemed = { ok: true } | { ok: false; reason: string };

export class ConfirmationTokens {
  private readonly tokens = new Map<string, { fingerprint: string; expires: number }>();

  constructor(
    private readonly now: () => number = Date.now,
    readonly ttlMs = TOKEN_TTL_MS,
  ) {}

  issue(fingerprint: string): string {
    this.expire();
    // The oldest go first: a client asking for tokens without end cannot grow the map.
    while (this.tokens.size >= MAX_TOKENS) this.tokens.delete(this.tokens.keys().next().value as string);
    const token = randomBytes(18).toString('base64url');
    this.tokens.set(token, { fingerprint, expires: this.now() + this.ttlMs });
    return token;
  }

  /** Spends the token: it confirms `fingerprint` if it was issued for it and has not expired. */
  redeem(token: string, fingerprint: string): Redeemed {
    const found = this.tokens.get(token);
    this.tokens.delete(token);
    if (!found) return { ok: false, reason: 'this confirmationToken is unknown or was already used (each token works once)' };
    if (found.expires <= this.now()) return { ok: false, reason: `this confirmationToken expired (tokens last ${Math.round(this.ttlMs / 1000)} seconds)` };
    if (found.fingerprint !== fingerprint)
      return { ok: false, reason: 'this confirmationToken was issued for a different request (other arguments, profile or tenant)' };
    return { ok: true };
  }

  private expire(): void {
    const now = this.now();
    for (const [token, entry] of this.tokens) if (entry.expires <= now) this.tokens.delete(token);
  }
}
