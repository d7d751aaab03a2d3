// An order tap that has not reached the bar yet, kept on the phone so a reload does not lose
// it: the same request with the same Idempotency-Key is sent again on the next load, and the
// API answers a repeat with the order the first try placed (ADR 0031). The API remembers a key
// for 24 h; we give up far sooner, since a drink asked for long ago is no longer wanted.

import { readCache, writeCache, forgetCache, PENDING_CACHE_PREFIX } from "../app/cache";

/** Older than this, a pending order is dropped rather than sent. */
export const PENDING_MAX_AGE_MS = 10 * 60_000;

export interface PendingOrder {
  drink_id: string;
  drink_name: string;
  quantity: number;
  notes: string;
  key: string;
  saved_at: number;
}

const cacheKey = (userKey: string) => `${PENDING_CACHE_PREFIX}${userKey}`;

export function savePending(userKey: string, pending: PendingOrder): void {
  writeCache(cacheKey(userKey), pending, pending.saved_at);
}

/** The guest's pending order, if one is kept and still young enough to send; an old one is dropped. */
export function readPending(userKey: string, now = Date.now()): PendingOrder | null {
  const pending = readCache<PendingOrder>(cacheKey(userKey), now);
  if (!pending || typeof pending.key !== "string" || typeof pending.drink_id !== "string") return null;
  if (!(now - pending.saved_at < PENDING_MAX_AGE_MS)) {
    forgetCache(cacheKey(userKey));
    return null;
  }
  return pending;
}

/** Forget it, but only if it is still the one with `key` (a newer tap may have replaced it). */
export function dropPending(userKey: string, key: string): void {
  if (readCache<PendingOrder>(cacheKey(userKey))?.key === key) forgetCache(cacheKey(userKey));
}

/** How long `pending` may still be sent. */
export function timeLeft(pending: PendingOrder, now = Date.now()): number {
  return Math.max(0, pending.saved_at + PENDING_MAX_AGE_MS - now);
}
