import { act, renderHook, waitFor } from "@testing-library/react";
import type { Order, OrderListing } from "../api/types";
import { newestFirst } from "../orders/state";
import { fakeServices } from "../test/fakeServices";
import { anOrder } from "../test/fixtures";
import { useLiveOrders } from "./hooks";

const order = (id: string, over: Partial<Order> = {}): Order => anOrder({ id, ...over });

const all = (orders: Order[]): OrderListing => ({ orders, complete: true });

function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

describe("useLiveOrders", () => {
  it("keeps an order placed while the first read is still on its way", async () => {
    const read = deferred<OrderListing>();
    const { realtime } = fakeServices();
    const { result } = renderHook(() =>
      useLiveOrders({ realtime, channel: null, authorization: () => null, load: () => read.promise, sort: newestFirst }),
    );

    act(() => result.current.apply(order("placed")));
    await act(async () => read.resolve(all([order("older")])));

    expect(result.current.orders?.map((o) => o.id).sort()).toEqual(["older", "placed"]);
  });

  it("ignores a slow read that a newer one overtook", async () => {
    const reads = [deferred<OrderListing>(), deferred<OrderListing>()];
    let call = 0;
    const { realtime } = fakeServices();
    const { result } = renderHook(() =>
      useLiveOrders({
        realtime,
        channel: null,
        authorization: () => null,
        load: () => reads[call++]!.promise,
        sort: newestFirst,
      }),
    );

    let second!: Promise<void>;
    act(() => {
      second = result.current.reload();
    });
    await act(async () => {
      reads[1]!.resolve(all([order("a", { status: "ready", updated_at: "2026-11-22T20:05:00Z" })]));
      await second;
    });
    // The slow, older read still lists "b", which has left the list since.
    await act(async () => reads[0]!.resolve(all([order("a", { status: "pending" }), order("b")])));

    expect(result.current.orders?.map((o) => [o.id, o.status])).toEqual([["a", "ready"]]);
  });

  it("tells onChange what changed, for alerts", async () => {
    const onChange = vi.fn();
    const { realtime } = fakeServices();
    const { result } = renderHook(() =>
      useLiveOrders({ realtime, channel: null, authorization: () => null, load: async () => all([order("a")]), sort: newestFirst, onChange }),
    );
    await waitFor(() => expect(result.current.orders).toHaveLength(1));

    act(() => result.current.apply(order("a", { status: "ready", updated_at: "2026-11-22T20:05:00Z" })));

    const [before, after] = onChange.mock.calls.at(-1)!;
    expect(before[0].status).toBe("pending");
    expect(after[0].status).toBe("ready");
  });
});
