// The token revocation generation: every access token carries the generation that issued it and is
// valid only while it is current, so a revocation (moving it on) invalidates every token issued so
// far. Auth checks it; the data file and its journal save it (a revocation is a write).
import { randomInt } from 'node:crypto';

/**
 * The highest revocation generation. A data file or journal line cannot set one above it, and one
 * far below 2^53 keeps `generation + 1` a different number (at 2^53 it would not be, and revoking
 * would stop working).
 */
export const MAX_TOKEN_GENERATION = 2 ** 48;

/** A new random generation, below MAX_TOKEN_GENERATION by as much: revocations can keep counting up. */
export const randomGeneration = (): number => randomInt(1, 2 ** 47);

/**
 * The generation a revocation moves to: the next one, and after MAX_TOKEN_GENERATION (only a data
 * file written by hand gets there) 1 again. A journaled revocation must carry exactly this.
 */
export function nextTokenGeneration(generation: number): number {
  return generation >= MAX_TOKEN_GENERATION ? 1 : generation + 1;
}
