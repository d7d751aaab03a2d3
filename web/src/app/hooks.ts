// Small hooks shared by every screen.

import { useCallback, useEffect, useRef, useState, useSyncExternalStore } from "react";
import type { RealtimeEvent } from "../api/types";
import type { TokenSession } from "../auth/tokenSession";
import type { AuthObject, ConnectionState, RealtimeClient } from "../realtime/client";

/** Re-render when the session changes (here or in another tab); returns its profile. */
export function useSession<P>(session: TokenSession<P>): P | null {
  const raw = useSyncExternalStore(
    (listener) => session.subscribe(listener),
    () => session.snapshot(),
  );
  return raw ? session.profile : null;
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

/** Load something over HTTP; `reload` re-reads it (say after a reconnect) without a spinner. */
export function useResource<T>(load: () => Promise<T>, deps: unknown[]): Resource<T> {
  const [data, setDataState] = useState<T | undefined>(undefined);
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
    } catch (caught) {
      if (mine === generation.current) setError(caught as Error);
    } finally {
      if (mine === generation.current) setLoading(false);
    }
  }, [loader]);

  useEffect(() => {
    setLoading(true);
    void reload();
  }, [reload]);

  const setData = useCallback((update: (current: T | undefined) => T | undefined) => {
    generation.current++; // a live update beats any read still in flight
    setDataState(update);
  }, []);

  return { data, error, loading, reload, setData };
}

/** Subscribe to a realtime channel while mounted (or while `channel` is not null). */
export function useChannel(
  realtime: RealtimeClient,
  channel: string | null,
  authorization: (host: string) => Promise<AuthObject | null> | AuthObject | null,
  onEvent: (event: RealtimeEvent) => void,
  onLive?: () => void,
): void {
  const handlers = useRef({ authorization, onEvent, onLive });
  handlers.current = { authorization, onEvent, onLive };
  useEffect(() => {
    if (!channel) return;
    return realtime.subscribe(channel, (host) => handlers.current.authorization(host), {
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
