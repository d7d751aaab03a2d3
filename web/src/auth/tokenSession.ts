// A signed-in session's tokens: kept in localStorage, refreshed silently a minute before they
// expire and after a 401, one refresh at a time. Guest refresh tokens rotate and a reused one
// revokes the whole family (API.md), so two refreshes must never race: within a tab a single
// promise is shared, across tabs the Web Locks API serialises them and the loser re-reads the
// winner's tokens instead of presenting the old refresh token again.

import { ApiError, type TokenSource } from "../api/http";

export interface Grant {
  access_token: string;
  refresh_token?: string;
  expires_in: number;
}

export interface Stored<P> {
  access_token: string;
  refresh_token: string;
  expires_at: number; // epoch ms
  lifetime_ms?: number; // how long the access token was issued for (absent in older sessions)
  profile: P;
}

export type Refresher = (refreshToken: string) => Promise<Grant>;

interface LockManagerLike {
  request<T>(name: string, callback: () => Promise<T>): Promise<T>;
}

export interface SessionOptions {
  storage?: Storage;
  locks?: LockManagerLike | null;
  now?: () => number;
  /** Refresh this long before expiry. */
  skewMs?: number;
}

export class TokenSession<P> implements TokenSource {
  private readonly storage: Storage;
  private readonly locks: LockManagerLike | null;
  private readonly now: () => number;
  private readonly skewMs: number;
  private inflight: Promise<string | null> | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private readonly listeners = new Set<() => void>();

  constructor(
    readonly name: string,
    private readonly refresher: Refresher,
    options: SessionOptions = {},
  ) {
    this.storage = options.storage ?? window.localStorage;
    this.locks =
      options.locks !== undefined
        ? options.locks
        : ((globalThis.navigator as Navigator | undefined)?.locks ?? null);
    this.now = options.now ?? Date.now;
    this.skewMs = options.skewMs ?? 60_000;
    if (typeof window !== "undefined") {
      window.addEventListener("storage", (event) => {
        if (event.key === this.key) this.changed();
      });
    }
  }

  private get key(): string {
    return `barkeep.${this.name}`;
  }

  load(): Stored<P> | null {
    const raw = this.storage.getItem(this.key);
    if (!raw) return null;
    try {
      return JSON.parse(raw) as Stored<P>;
    } catch {
      return null;
    }
  }

  /** A cheap, stable value that changes whenever the session does (for useSyncExternalStore). */
  snapshot(): string | null {
    return this.storage.getItem(this.key);
  }

  get profile(): P | null {
    return this.load()?.profile ?? null;
  }

  get signedIn(): boolean {
    return this.load() !== null;
  }

  start(grant: Grant & { refresh_token: string }, profile: P): void {
    this.save(grant, grant.refresh_token, profile);
  }

  signOut(): void {
    this.storage.removeItem(this.key);
    this.storage.removeItem(`${this.key}.ended`);
    this.changed();
  }

  /** True once after the service refused this session (expired, or the guest was deactivated),
   * so the sign-in page can say why the user is there; a sign-out of their own says nothing. */
  takeEnded(): boolean {
    const ended = this.storage.getItem(`${this.key}.ended`) !== null;
    this.storage.removeItem(`${this.key}.ended`);
    return ended;
  }

  private end(): void {
    this.storage.removeItem(this.key);
    this.storage.setItem(`${this.key}.ended`, "1");
    this.changed();
  }

  /** Called on any change of tokens or sign-in state, in this tab or another. */
  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async token(): Promise<string | null> {
    const stored = this.load();
    if (!stored) return null;
    if (stored.expires_at - this.now() > this.margin(stored)) return stored.access_token;
    return (await this.refresh()) ?? this.load()?.access_token ?? null;
  }

  async renew(rejected: string): Promise<string | null> {
    const stored = this.load();
    if (!stored) return null;
    if (stored.access_token !== rejected) return stored.access_token; // already renewed
    return this.refresh(true);
  }

  /** One refresh at a time; resolves to the new access token, or null when signed out. */
  refresh(force = false): Promise<string | null> {
    if (!this.inflight) {
      this.inflight = this.refreshExclusively(force).finally(() => {
        this.inflight = null;
      });
    }
    return this.inflight;
  }

  private async refreshExclusively(force: boolean): Promise<string | null> {
    const before = this.load();
    if (!before) return null;
    const run = () => this.refreshNow(before.refresh_token, force);
    return this.locks ? this.locks.request(`${this.key}.refresh`, run) : run();
  }

  private async refreshNow(seenRefreshToken: string, force: boolean): Promise<string | null> {
    const stored = this.load();
    if (!stored) return null;
    // Another tab refreshed while we waited for the lock: use its tokens.
    if (stored.refresh_token !== seenRefreshToken) return stored.access_token;
    if (!force && stored.expires_at - this.now() > this.margin(stored)) return stored.access_token;
    let grant: Grant;
    try {
      grant = await this.refresher(stored.refresh_token);
    } catch (error) {
      if (error instanceof ApiError && (error.status === 400 || error.status === 401 || error.status === 403)) {
        this.end(); // the refresh token is gone: only now does the user sign in again
        return null;
      }
      this.schedule(15_000); // offline or the service is down: keep the session, try again soon
      if (force) throw error; // the caller's request fails with "can't reach", not "sign in"
      return stored.access_token;
    }
    this.save(grant, grant.refresh_token ?? stored.refresh_token, stored.profile);
    return grant.access_token;
  }

  private save(grant: Grant, refreshToken: string, profile: P): void {
    const stored: Stored<P> = {
      access_token: grant.access_token,
      refresh_token: refreshToken,
      expires_at: this.now() + grant.expires_in * 1000,
      lifetime_ms: grant.expires_in * 1000,
      profile,
    };
    this.storage.setItem(this.key, JSON.stringify(stored));
    this.changed();
  }

  /** Keep the access token fresh in the background while the app is open. */
  keepFresh(): () => void {
    const stored = this.load();
    if (stored) this.schedule(Math.max(0, stored.expires_at - this.now() - this.margin(stored)));
    const unsubscribe = this.subscribe(() => {
      const next = this.load();
      if (next) this.schedule(Math.max(0, next.expires_at - this.now() - this.margin(next)));
      else this.cancel();
    });
    return () => {
      unsubscribe();
      this.cancel();
    };
  }

  /** How long before expiry to refresh: the skew, but never more than a quarter of the
   * token's life, so short-lived tokens are not refreshed the moment they arrive. */
  private margin(stored: Stored<P>): number {
    return stored.lifetime_ms ? Math.min(this.skewMs, stored.lifetime_ms / 4) : this.skewMs;
  }

  private schedule(delayMs: number): void {
    this.cancel();
    // A little jitter so that tabs opened together don't all wake at the same moment.
    this.timer = setTimeout(() => void this.refresh(), delayMs + Math.random() * 2_000);
  }

  private cancel(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }

  private changed(): void {
    for (const listener of [...this.listeners]) listener();
  }
}

/** The claims of a JWT, unverified: for display and routing only, never for trust. */
export function jwtClaims(token: string): Record<string, unknown> {
  const part = token.split(".")[1];
  if (!part) return {};
  try {
    const base64 = part.replace(/-/g, "+").replace(/_/g, "/");
    const json = atob(base64.padEnd(base64.length + ((4 - (base64.length % 4)) % 4), "="));
    return JSON.parse(new TextDecoder().decode(Uint8Array.from(json, (c) => c.charCodeAt(0))));
  } catch {
    return {};
  }
}
