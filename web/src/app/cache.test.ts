import { forgetCache, ordersCacheKey, readCache, writeCache } from "./cache";

beforeEach(() => localStorage.clear());

describe("the offline cache", () => {
  it("gives back what was kept", () => {
    writeCache("menu", [["s1"], ["d1"]]);
    expect(readCache("menu")).toEqual([["s1"], ["d1"]]);
  });

  it("ignores a copy older than a guest's session can be, and anything unreadable", () => {
    const then = Date.parse("2026-11-22T20:00:00Z");
    writeCache("menu", ["old"], then);
    expect(readCache("menu", then + 47 * 3600_000)).toEqual(["old"]);
    expect(readCache("menu", then + 49 * 3600_000)).toBeUndefined();
    localStorage.setItem("barkeep.cache.menu", "{not json");
    expect(readCache("menu")).toBeUndefined();
  });

  it("forgets every guest's orders at once, and nothing else", () => {
    writeCache(ordersCacheKey("u1"), []);
    writeCache(ordersCacheKey("u2"), []);
    writeCache("menu", []);
    localStorage.setItem("barkeep.guest", "{}");

    forgetCache("orders.");

    expect(readCache(ordersCacheKey("u1"))).toBeUndefined();
    expect(readCache(ordersCacheKey("u2"))).toBeUndefined();
    expect(readCache("menu")).toEqual([]);
    expect(localStorage.getItem("barkeep.guest")).toBe("{}");
  });

  it("keeps working when storage is full", () => {
    vi.spyOn(Storage.prototype, "setItem").mockImplementation(() => {
      throw new DOMException("full", "QuotaExceededError");
    });
    expect(() => writeCache("menu", [])).not.toThrow();
    vi.restoreAllMocks();
  });
});
