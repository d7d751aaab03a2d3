// Small hooks shared by every screen.

import { useCallback, useEffect, useMemo, useRef, useState, useSyncExternalStore } from "react";
import type { Order, OrderListing, RealtimeEvent } from "../api/types";
import type { TokenSession } from "../auth/tokenSession";
import { mergeRead, orderOf, upsertOrder } from "../orders/state";
import type { Authorizer, ConnectionState, RealtimeClient } from "../realtime/client";
import { readCache, writeCache } from "./cache";
import { isRetryable, pause, retryDelay } from "./retry";

/** Re-render when the session changes (here or in another tab); returns its profile, the same
 * object for as long as the stored session is unchanged. */
export function useSession<P>(session: TokenSession<P>): P | null {
  const raw = useSyncExternalStore(
    (listener) => session.subscribe(listener),
    () => session.snapshot(),
  );
  return useMemo(() => (raw ? session.profile : null), [raw, session]);
}

/** Keep a signed-in session's access token fresh while the component is mounted. */
export function useKeepFresh<P>(session: TokenSession<P>): void {
  const signedIn = useSession(session) !== null;
  useEffect(() => (signedIn ? session.keepFresh() : undefined), [session, signedIn]);
}

export function useConnectionState(realtime: RealtimeClient): ConnectionState {
  return useSyncExternalStore(
    (listener) => realtime.onState(listener),
    () => realtime.state,
  );
}

export interface Resource<T> {
  data: T | undefined;
  error: Error | null;
  loading: boolean;
  reload: () => Promise<void>;
  setData: (update: (current: T | undefined) => T | undefined) => void;
}

/** While a read fails for want of the bar (no network, a 5xx), read again by itself: after a
 * growing pause, or at once when the browser comes back online. An answer (a 404) is left be. */
export function useRetryWhileFailing(error: unknown, reload: () => Promise<void>): void {
  const attempt = useRef(0);
  useEffect(() => {
    if (!error) {
      attempt.current = 0;
      return;
    }
    if (!isRetryable(error)) return;
    const stop = new AbortController();
    void pause(retryDelay(attempt.current++), stop.signal).then(() => {
      if (!stop.signal.aborted) void reload();
    });
    return () => stop.abort();
  }, [error, reload]);
}

/** Load something over HTTP; `reload` re-reads it (say after a reconnect) without a spinner.
 * A read that fails for want of the bar is tried again until it succeeds. With `cacheKey`,
 * the last good read is kept in localStorage and shown until the next one arrives (offline). */
export function useResource<T>(load: () => Promise<T>, deps: unknown[], options: { cacheKey?: string } = {}): Resource<T> {
  const { cacheKey } = options;
  const [data, setDataState] = useState<T | undefined>(() => (cacheKey ? readCache<T>(cacheKey) : undefined));
  const [error, setError] = useState<Error | null>(null);
  const [loading, setLoading] = useState(true);
  const generation = useRef(0);
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const loader = useCallback(load, deps);

  const reload = useCallback(async () => {
    const mine = ++generation.current;
    try {
      const value = await loader();
      if (mine !== generation.current) return; // a newer read won
      setDataState(value);
      setError(null);
      if (cacheKey) writeCache(cacheKey, value);
    } catch (caught) {
      if (mine === generation.current) setError(caught as Error);
    } finally {
      if (mine === generation.current) setLoading(false);
    }
  }, [loader, cacheKey]);

  useEffect(() => {
    setLoading(true);
    void reload();
  }, [reload]);

  const setData = useCallback((update: (current: T | undefined) => T | undefined) => {
    generation.current++; // a live update beats any read still in flight
    setDataState(update);
  }, []);

  useRetryWhileFailing(error, reload);

  return { data, error, loading, reload, setData };
}

/** Subscribe to a realtime channel while mounted (or while `channel` is not null). */
export function useChannel(
  realtime: RealtimeClient,
  channel: string | null,
  authorization: Authorizer,
  onEvent: (event: RealtimeEvent) => void,
  onLive?: () => void,
): void {
  const handlers = useRef({ authorization, onEvent, onLive });
  handlers.current = { authorization, onEvent, onLive };
  useEffect(() => {
    if (!channel) return;
    return realtime.subscribe(channel, (host, rejected) => handlers.current.authorization(host, rejected), {
      onEvent: (event) => handlers.current.onEvent(event),
      onLive: () => handlers.current.onLive?.(),
    });
  }, [realtime, channel]);
}

/** The current time, ticking every `ms` (for elapsed-time displays). */
export function useNow(ms = 1000): number {
  const [now, setNow] = useState(Date.now);
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(timer);
  }, [ms]);
  return now;
}

/** A throttled callback: at most one call per `ms`, the last one always runs. */
export function useThrottled(callback: () => void, ms: number): () => void {
  const latest = useRef(callback);
  latest.current = callback;
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(() => () => {
    if (timer.current) clearTimeout(timer.current);
  }, []);
  return useCallback(() => {
    if (timer.current) return;
    timer.current = setTimeout(() => {
      timer.current = null;
      latest.current();
    }, ms);
  }, [ms]);
}

/** Run `callback` after `ms`; timers still pending are cleared on unmount. */
export function useLater(): (callback: () => void, ms: number) => void {
  const timers = useRef(new Set<ReturnType<typeof setTimeout>>());
  useEffect(() => {
    const pending = timers.current;
    return () => pending.forEach(clearTimeout);
  }, []);
  return useCallback((callback: () => void, ms: number) => {
    const timer = setTimeout(() => {
      timers.current.delete(timer);
      callback();
    }, ms);
    timers.current.add(timer);
  }, []);
}

export interface LiveOrders {
  orders: Order[] | undefined;
  /** false: the last read stopped at the page cap, so `orders` is not the whole list. */
  complete: boolean;
  error: unknown;
  reload: () => Promise<void>;
  /** An order the app itself just changed (placed, cancelled, moved). */
  apply: (order: Order) => void;
}

/**
 * A list of orders read over HTTP and kept live from a realtime channel: re-read after every
 * (re)subscribe, events merged in by `updated_at`, and an order that arrives while a read is on
 * its way kept even though that read could not list it. `onChange` sees each step (before,
 * after, and the event that caused it, if any): the place for chimes and "ready" alerts.
 * A failed read is tried again by itself; with `cacheKey` the list is kept in localStorage and
 * shown at once next time (a reload without a network still shows the guest's orders).
 */
export function useLiveOrders(options: {
  realtime: RealtimeClient;
  channel: string | null;
  authorization: Authorizer;
  load: () => Promise<OrderListing>;
  sort: (a: Order, b: Order) => number;
  onChange?: (before: Order[] | undefined, after: Order[], event?: RealtimeEvent) => void;
  cacheKey?: string;
}): LiveOrders {
  const [cached] = useState(() => (options.cacheKey ? readCache<Order[]>(options.cacheKey) : undefined));
  const [orders, setOrders] = useState<Order[] | undefined>(cached);
  const [complete, setComplete] = useState(true);
  const [error, setError] = useState<unknown>(null);
  const latest = useRef<Order[] | undefined>(cached);
  const generation = useRef(0);
  const arrived = useRef(new Set<string>());
  const props = useRef(options);
  props.current = options;

  const show = useCallback((next: Order[], event?: RealtimeEvent) => {
    const before = latest.current;
    latest.current = [...next].sort(props.current.sort);
    setOrders(latest.current);
    if (props.current.cacheKey) writeCache(props.current.cacheKey, latest.current);
    props.current.onChange?.(before, latest.current, event);
  }, []);

  const apply = useCallback(
    (order: Order, event?: RealtimeEvent) => {
      arrived.current.add(order.id);
      show(upsertOrder(latest.current ?? [], order), event);
    },
    [show],
  );

  const reload = useCallback(async () => {
    const mine = ++generation.current;
    arrived.current = new Set();
    try {
      const read = await props.current.load();
      if (mine !== generation.current) return; // a newer read is on its way
      show(mergeRead(latest.current ?? [], read.orders, arrived.current));
      setComplete(read.complete);
      setError(null);
    } catch (caught) {
      if (mine === generation.current) setError(caught);
    }
  }, [show]);

  useEffect(() => {
    void reload();
  }, [reload]);

  useChannel(
    options.realtime,
    options.channel,
    options.authorization,
    (event) => {
      const order = orderOf(event);
      if (order) apply(order, event);
    },
    reload, // (re)subscribed: read what may have been missed
  );

  useRetryWhileFailing(error, reload);

  return { orders, complete, error, reload, apply };
}
