// What the bar's own screens (the kitchen display and the pickup board) follow: the live queue
// on `/admin/orders`, and the bar's one row of settings, the same for every display.

import { useCallback, useEffect } from "react";
import type { BarSettingsPatch, BarSettings, Order, RealtimeEvent } from "../api/types";
import { useLiveOrders, useResource, type LiveOrders } from "../app/hooks";
import { useServices } from "../app/services";
import { oldestFirst } from "../orders/state";
import { bearerAuth } from "../realtime/client";

/** The open queue, oldest first, kept live: one hook for every display of the bar. */
export function useAdminQueue(
  onChange?: (before: Order[] | undefined, after: Order[], event?: RealtimeEvent) => void,
): LiveOrders {
  const { api, admin, realtime } = useServices();
  return useLiveOrders({
    realtime,
    channel: "/admin/orders",
    authorization: bearerAuth(admin),
    load: api.ordersAdmin.queue,
    sort: oldestFirst,
    onChange,
  });
}

/** How often a display re-reads the bar's settings (the contract says every 15-30 s), so a
 * change made on one display reaches the others without anyone reloading. */
export const BAR_REFRESH_MS = 30_000;

export interface Bar {
  bar: BarSettings | undefined;
  error: Error | null;
  /** PATCH /admin/bar; the answer is shown at once. Throws what the server said. */
  update: (patch: BarSettingsPatch) => Promise<BarSettings>;
}

export function useBar(): Bar {
  const { api, realtime } = useServices();
  const resource = useResource(() => api.bar(), [api]);
  const { reload, setData } = resource;
  useEffect(() => {
    const timer = setInterval(() => void reload(), BAR_REFRESH_MS);
    // Back from a lost connection: what changed meanwhile may matter now, not in 30 s.
    const stop = realtime.onState((state) => state === "live" && void reload());
    return () => {
      clearInterval(timer);
      stop();
    };
  }, [reload, realtime]);
  const update = useCallback(
    async (patch: BarSettingsPatch) => {
      const next = await api.updateBar(patch);
      setData(() => next);
      return next;
    },
    [api, setData],
  );
  return { bar: resource.data, error: resource.error, update };
}
