import { act, renderHook, waitFor } from "@testing-library/react";
import type { BarkeepApi } from "../api/barkeep";
import type { ConnectionState } from "../realtime/client";
import { aBar } from "../test/fixtures";
import { BAR_POLL_MS } from "./bar";
import { useBar } from "./useBar";

function following(bar = vi.fn().mockResolvedValue(aBar())) {
  const api = { bar } as unknown as BarkeepApi;
  const hook = renderHook(({ connection }: { connection: ConnectionState }) => useBar(api, connection), {
    initialProps: { connection: "connecting" },
  });
  return { bar, ...hook };
}

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe("following the bar's state", () => {
  it("reads it on load, and again when the channel is live after a drop, not when it first goes live", async () => {
    const { bar, rerender, result } = following();
    await waitFor(() => expect(result.current.bar).toEqual(aBar()));
    rerender({ connection: "live" });
    expect(bar).toHaveBeenCalledTimes(1);

    rerender({ connection: "reconnecting" });
    rerender({ connection: "live" });
    await waitFor(() => expect(bar).toHaveBeenCalledTimes(2));
  });

  it("polls only while the page is visible, and reads at once when it is shown again", async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    const { bar } = following();
    await waitFor(() => expect(bar).toHaveBeenCalledTimes(1));
    const visibility = vi.spyOn(document, "visibilityState", "get").mockReturnValue("hidden");
    await act(async () => vi.advanceTimersByTime(BAR_POLL_MS * 3));
    expect(bar).toHaveBeenCalledTimes(1);

    visibility.mockReturnValue("visible");
    act(() => document.dispatchEvent(new Event("visibilitychange")));
    await waitFor(() => expect(bar).toHaveBeenCalledTimes(2));
    await act(async () => vi.advanceTimersByTime(BAR_POLL_MS));
    await waitFor(() => expect(bar).toHaveBeenCalledTimes(3));
  });

  it("keeps the last answer while a read fails", async () => {
    const { bar, result } = following(
      vi.fn().mockResolvedValueOnce(aBar({ ordering: "paused" })).mockRejectedValue(new Error("offline")),
    );
    await waitFor(() => expect(result.current.bar?.ordering).toBe("paused"));
    await act(() => result.current.refresh());
    expect(bar).toHaveBeenCalledTimes(2);
    expect(result.current.bar?.ordering).toBe("paused");
  });
});
