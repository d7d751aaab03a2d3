import { anOrder } from "../test/fixtures";
import { mergeRead, newlyReady, orderNumber, orderOf, readyBanners, upsertOrder } from "./state";

const order = anOrder;

describe("upsertOrder", () => {
  it("adds an unknown order and replaces a known one with a newer version", () => {
    const placed = upsertOrder([], order());
    expect(placed).toHaveLength(1);
    const moved = upsertOrder(placed, order({ status: "preparing", updated_at: "2026-11-22T20:01:00Z" }));
    expect(moved).toHaveLength(1);
    expect(moved[0]!.status).toBe("preparing");
  });

  it("ignores an older event that arrives late", () => {
    const current = [order({ status: "ready", updated_at: "2026-11-22T20:05:00Z" })];
    expect(upsertOrder(current, order({ status: "preparing", updated_at: "2026-11-22T20:01:00Z" }))).toBe(current);
  });
});

describe("newlyReady", () => {
  it("names orders that turned ready, not ones that were already ready or are new", () => {
    const before = [order({ id: "a" }), order({ id: "b", status: "ready" })];
    const after = [order({ id: "a", status: "ready" }), order({ id: "b", status: "ready" }), order({ id: "c", status: "ready" })];
    expect(newlyReady(before, after).map((o) => o.id)).toEqual(["a"]);
  });
});

describe("mergeRead", () => {
  it("keeps a live update that is newer than the read, and drops orders the read no longer has", () => {
    const live = [order({ status: "ready", updated_at: "2026-11-22T20:05:00Z" }), order({ id: "gone" })];
    const read = [order({ status: "preparing", updated_at: "2026-11-22T20:02:00Z" })];
    expect(mergeRead(live, read)).toEqual([live[0]]);
  });

  it("keeps an order that arrived while the read was on its way", () => {
    const placed = order({ id: "new" });
    expect(mergeRead([placed], [], new Set(["new"]))).toEqual([placed]);
  });
});

describe("orderOf", () => {
  it("reads the order of order events only", () => {
    const o = order();
    expect(orderOf({ type: "ORDER_CREATED", version: 1, event_id: "e", occurred_at: "", data: { order: o } })).toBe(o);
    expect(orderOf({ type: "MENU_CHANGED", version: 1, event_id: "e", occurred_at: "", data: {} })).toBeNull();
  });
});

describe("readyBanners", () => {
  const ready = order({ id: "a", status: "ready" });

  it("drops the banner of a drink that was served or taken back, keeps one still ready", () => {
    const b = order({ id: "b", status: "ready" });
    const after = [order({ id: "a", status: "served" }), b];
    expect(readyBanners([ready, b], after).map((o) => o.id)).toEqual(["b"]);
    expect(readyBanners([ready], [order({ id: "a", status: "preparing" })])).toEqual([]);
  });

  it("adds a newly ready drink once, last, and keeps a banner whose order the read did not list", () => {
    const turned = [order({ id: "c", status: "ready" })];
    expect(readyBanners([ready, turned[0]!], [...turned], turned).map((o) => o.id)).toEqual(["a", "c"]);
  });
});

describe("orderNumber", () => {
  it("is what the bar calls, and nothing for an order placed before numbers", () => {
    expect(orderNumber(order({ number: 41 }))).toBe("#41");
    expect(orderNumber(order({ number: null }))).toBe("");
    expect(orderNumber(order())).toBe("");
  });
});
