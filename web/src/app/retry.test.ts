import { ApiError } from "../api/http";
import { isRetryable, retryDelay, withRetries } from "./retry";

const unavailable = () => new ApiError(503, "service_unavailable", "The bar's database is away; try again in a moment");
const offline = () => new ApiError(0, "network_error", "Can't reach the bar right now. Check your connection.");
const noDelay = () => 0;

describe("isRetryable", () => {
  it("tries again when the bar was out of reach, never when it answered", () => {
    expect(isRetryable(offline())).toBe(true);
    expect(isRetryable(unavailable())).toBe(true);
    expect(isRetryable(new ApiError(500, "internal", "boom"))).toBe(true);
    expect(isRetryable(new ApiError(429, "rate_limited", "slow down"))).toBe(true);
    expect(isRetryable(new ApiError(409, "too_many_active_orders", "three at a time"))).toBe(false);
    expect(isRetryable(new ApiError(404, "not_found", "gone"))).toBe(false);
    expect(isRetryable(new ApiError(401, "signed_out", "sign in"))).toBe(false);
    expect(isRetryable(new Error("a bug"))).toBe(false);
  });
});

describe("retryDelay", () => {
  it("grows from about a second to at most about fifteen", () => {
    expect(retryDelay(0, () => 0.5)).toBe(1_000);
    expect(retryDelay(2, () => 0.5)).toBe(4_000);
    expect(retryDelay(10, () => 1)).toBe(18_750);
    expect(retryDelay(10, () => 0)).toBe(11_250);
  });
});

describe("withRetries", () => {
  it("sends the same request again after a 503 and a network error, then returns its answer", async () => {
    const send = vi.fn().mockRejectedValueOnce(unavailable()).mockRejectedValueOnce(offline()).mockResolvedValue("order");
    const onRetry = vi.fn();

    await expect(withRetries(send, { delay: noDelay, onRetry })).resolves.toBe("order");

    expect(send).toHaveBeenCalledTimes(3);
    expect(onRetry.mock.calls.map(([, attempt]) => attempt)).toEqual([2, 3]);
  });

  it("stops at an answer that another try would not change", async () => {
    const refused = new ApiError(409, "too_many_active_orders", "three at a time");
    const send = vi.fn().mockRejectedValue(refused);
    await expect(withRetries(send, { delay: noDelay })).rejects.toBe(refused);
    expect(send).toHaveBeenCalledTimes(1);
  });

  it("gives up after its attempts, with the last failure", async () => {
    const send = vi.fn().mockRejectedValue(unavailable());
    await expect(withRetries(send, { delay: noDelay, attempts: 3 })).rejects.toMatchObject({ status: 503 });
    expect(send).toHaveBeenCalledTimes(3);
  });

  it("cuts the wait short when the browser comes back online", async () => {
    const send = vi.fn().mockRejectedValueOnce(offline()).mockResolvedValue("order");
    const placed = withRetries(send, { delay: () => 60_000 });
    await vi.waitFor(() => expect(send).toHaveBeenCalledTimes(1));

    window.dispatchEvent(new Event("online"));

    await expect(placed).resolves.toBe("order");
  });

  it("stops waiting when its signal aborts (the dialog closed)", async () => {
    const controller = new AbortController();
    const send = vi.fn().mockRejectedValue(offline());
    const placed = withRetries(send, { delay: () => 60_000, signal: controller.signal });
    await vi.waitFor(() => expect(send).toHaveBeenCalledTimes(1));

    controller.abort();

    await expect(placed).rejects.toMatchObject({ code: "network_error" });
    expect(send).toHaveBeenCalledTimes(1);
  });
});
