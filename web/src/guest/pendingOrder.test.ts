import { forgetCache, PENDING_CACHE_PREFIX } from "../app/cache";
import { dropPending, PENDING_MAX_AGE_MS, readPending, savePending, timeLeft, type PendingOrder } from "./pendingOrder";

const NOW = Date.parse("2026-12-02T21:00:00Z");
const pending = (over: Partial<PendingOrder> = {}): PendingOrder => ({
  drink_id: "d1",
  drink_name: "Negroni",
  quantity: 2,
  notes: "no ice",
  key: "k1",
  saved_at: NOW,
  ...over,
});

beforeEach(() => localStorage.clear());

describe("an order tap kept until it reaches the bar", () => {
  it("is kept per guest, with its Idempotency-Key", () => {
    savePending("u1", pending());
    expect(readPending("u1", NOW + 1000)).toEqual(pending());
    expect(readPending("u2", NOW + 1000)).toBeNull();
  });

  it("is dropped once it is too old to be wanted, far inside the API's 24 h", () => {
    savePending("u1", pending());
    expect(PENDING_MAX_AGE_MS).toBeLessThanOrEqual(24 * 3600_000);
    expect(timeLeft(pending(), NOW + 60_000)).toBe(PENDING_MAX_AGE_MS - 60_000);
    expect(readPending("u1", NOW + PENDING_MAX_AGE_MS)).toBeNull();
    expect(readPending("u1", NOW)).toBeNull(); // gone for good, not just hidden
  });

  it("is dropped only if it is still the same tap, and with the guest's other kept things at sign-out", () => {
    savePending("u1", pending({ key: "k2" }));
    dropPending("u1", "k1");
    expect(readPending("u1", NOW)?.key).toBe("k2");
    dropPending("u1", "k2");
    expect(readPending("u1", NOW)).toBeNull();

    savePending("u1", pending());
    forgetCache(PENDING_CACHE_PREFIX);
    expect(readPending("u1", NOW)).toBeNull();
  });

  it("ignores anything unreadable", () => {
    localStorage.setItem(`barkeep.cache.${PENDING_CACHE_PREFIX}u1`, JSON.stringify({ saved_at: NOW, value: { key: 3 } }));
    expect(readPending("u1", NOW)).toBeNull();
  });
});
