// Riding out an outage: which failures are worth trying again, how long to wait between
// tries, and a loop that re-sends the very same request (for an order, the same
// Idempotency-Key, so the API hands back the first order instead of placing a second one).

import { ApiError } from "../api/http";

/** The bar was out of reach or overloaded, not the request wrong: the network failed, a 5xx
 * (503 while the database is away, ADR 0023), 408 or 429. A 4xx other than those is an answer. */
export function isRetryable(error: unknown): boolean {
  if (!(error instanceof ApiError)) return false;
  return error.status === 0 || error.status >= 500 || error.status === 408 || error.status === 429;
}

/** 1 s, 2 s, 4 s, 8 s, then every 15 s; `random` (0..1) spreads phones that failed together. */
export function retryDelay(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(15_000, 1_000 * 2 ** Math.max(0, attempt));
  return Math.round(base * (0.75 + random() * 0.5));
}

/** Wait `ms`, or less: coming back online ends the wait at once, and so does `signal`. */
export function pause(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      window.removeEventListener("online", done);
      signal?.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    window.addEventListener("online", done);
    signal?.addEventListener("abort", done);
  });
}

export interface RetryOptions {
  /** Tries in all, the first included. */
  attempts?: number;
  signal?: AbortSignal;
  /** Told before each wait: the failure, which try comes next (2 = the first retry), and how long. */
  onRetry?: (error: unknown, attempt: number, delayMs: number) => void;
  delay?: (attempt: number) => number;
}

/** `send()` until it succeeds, fails with an answer (not retryable), runs out of attempts or
 * `signal` aborts; the last error is thrown. A wait ends early when the browser comes back online. */
export async function withRetries<T>(send: () => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const attempts = options.attempts ?? 6;
  const delay = options.delay ?? retryDelay;
  for (let attempt = 1; ; attempt++) {
    try {
      return await send();
    } catch (error) {
      if (!isRetryable(error) || attempt >= attempts || options.signal?.aborted) throw error;
      const ms = delay(attempt - 1);
      options.onRetry?.(error, attempt + 1, ms);
      await pause(ms, options.signal);
      if (options.signal?.aborted) throw error;
    }
  }
}
