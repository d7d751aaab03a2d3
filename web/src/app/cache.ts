// What the guest last saw, kept in localStorage so a phone that loses its network (or reloads
// without one) still shows the menu and its orders instead of a blank page. A cache only: every
// screen still reads over HTTP and replaces it; nothing is ever sent from it.

const PREFIX = "barkeep.cache.";
/** Older than this, a copy is more misleading than nothing (a refresh token lives 48 h). */
const MAX_AGE_MS = 48 * 3600_000;

interface Entry<T> {
  saved_at: number;
  value: T;
}

export function readCache<T>(key: string, now = Date.now()): T | undefined {
  try {
    const raw = window.localStorage.getItem(PREFIX + key);
    if (!raw) return undefined;
    const entry = JSON.parse(raw) as Entry<T>;
    if (typeof entry?.saved_at !== "number" || now - entry.saved_at > MAX_AGE_MS) return undefined;
    return entry.value;
  } catch {
    return undefined;
  }
}

export function writeCache<T>(key: string, value: T, now = Date.now()): void {
  try {
    window.localStorage.setItem(PREFIX + key, JSON.stringify({ saved_at: now, value } satisfies Entry<T>));
  } catch {
    // full or disabled storage: the app works without its copy
  }
}

/** Forget every cached entry whose key starts with `prefix` (say, a guest's orders at sign-out). */
export function forgetCache(prefix: string): void {
  try {
    const storage = window.localStorage;
    const doomed: string[] = [];
    for (let i = 0; i < storage.length; i++) {
      const key = storage.key(i);
      if (key?.startsWith(PREFIX + prefix)) doomed.push(key);
    }
    doomed.forEach((key) => storage.removeItem(key));
  } catch {
    // nothing to forget
  }
}

export const MENU_CACHE = "menu";
export const ordersCacheKey = (userKey: string) => `orders.${userKey}`;
export const ORDERS_CACHE_PREFIX = "orders.";
/** A guest's order tap still to be sent (guest/pendingOrder.ts). */
export const PENDING_CACHE_PREFIX = "pending-order.";
/** The guest's conversation with the bartender, by its id (guest/bartenderMemory.ts). */
export const CHAT_CACHE_PREFIX = "chat.";
/** The menu's diet filter (guest/dietFilter.ts): what someone eats is theirs, not the phone's. */
export const DIET_CACHE = "diet";

/** Everything kept for the guest who used this phone: forgotten when someone joins and at
 * sign-out, so the next person sees none of it (the menu itself is everyone's). */
export function forgetGuestCaches(): void {
  for (const prefix of [ORDERS_CACHE_PREFIX, PENDING_CACHE_PREFIX, CHAT_CACHE_PREFIX, DIET_CACHE]) forgetCache(prefix);
}
