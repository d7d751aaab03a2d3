// The bar's state as the guest app follows it. GET {orders}/bar has no realtime event, so it
// is read on load, every BAR_POLL_MS while the page is visible, when the tab comes back into
// view, when the browser comes back online, when the realtime channel is live again after a
// drop, and whenever an order is refused with `ordering_paused` (refresh).

import { useEffect, useRef } from "react";
import type { BarkeepApi } from "../api/barkeep";
import type { BarSettings } from "../api/types";
import { useResource } from "../app/hooks";
import type { ConnectionState } from "../realtime/client";
import { BAR_POLL_MS } from "./bar";

export interface BarState {
  /** undefined until the first read answers (the app then behaves as if the bar is open). */
  bar: BarSettings | undefined;
  refresh: () => Promise<void>;
}

export function useBar(api: BarkeepApi, connection: ConnectionState): BarState {
  const { data, reload } = useResource(() => api.bar(), [api]);

  useEffect(() => {
    const timer = setInterval(() => {
      if (document.visibilityState !== "hidden") void reload();
    }, BAR_POLL_MS);
    const whenVisible = () => {
      if (document.visibilityState === "visible") void reload();
    };
    const whenOnline = () => void reload();
    document.addEventListener("visibilitychange", whenVisible);
    window.addEventListener("online", whenOnline);
    return () => {
      clearInterval(timer);
      document.removeEventListener("visibilitychange", whenVisible);
      window.removeEventListener("online", whenOnline);
    };
  }, [reload]);

  // Live again after a drop: whatever the bar changed meanwhile is read now, not in 20 s.
  // (The first time it goes live is just after the read on load.)
  const live = useRef({ now: false, before: false });
  useEffect(() => {
    const isLive = connection === "live";
    if (isLive && !live.current.now && live.current.before) void reload();
    live.current = { now: isLive, before: live.current.before || isLive };
  }, [connection, reload]);

  return { bar: data, refresh: reload };
}
