import type { BarSettings } from "../api/types";
import { anOrder } from "../test/fixtures";
import {
  DEFAULT_WAIT,
  NO_SELECTION,
  allDay,
  batchOf,
  boardOf,
  bumpTarget,
  commandFor,
  formatElapsed,
  handOver,
  lastServed,
  navigate,
  pickupLine,
  reconcile,
  reopensAt,
  splitSeen,
  stillMoving,
  stageClock,
  ticketActions,
  waitColours,
  waitPatch,
  type Command,
} from "./kitchen";

const T0 = Date.parse("2026-11-22T20:00:00Z");
const iso = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString();

describe("the board", () => {
  it("puts open orders in their columns and leaves the rest off", () => {
    const board = boardOf([
      anOrder({ id: "p" }),
      anOrder({ id: "m", status: "preparing" }),
      anOrder({ id: "r", status: "ready" }),
      anOrder({ id: "s", status: "served" }),
      anOrder({ id: "c", status: "cancelled" }),
    ]);
    expect(Object.fromEntries(Object.entries(board).map(([k, v]) => [k, v.map((o) => o.id)]))).toEqual({
      pending: ["p"],
      preparing: ["m"],
      ready: ["r"],
    });
  });

  it("bumps through the state machine and offers recall and cancel where the API allows them", () => {
    expect(["pending", "preparing", "ready", "served"].map((s) => bumpTarget(s as never))).toEqual([
      "preparing",
      "ready",
      "served",
      null,
    ]);
    expect(ticketActions("pending").map((a) => a.label)).toEqual(["Start", "Cancel"]);
    expect(ticketActions("preparing").map((a) => a.label)).toEqual(["Ready", "Cancel"]);
    expect(ticketActions("ready").map((a) => a.label)).toEqual(["Served", "Not ready"]);
    expect(ticketActions("served")).toEqual([]);
  });
});

describe("stage clocks", () => {
  const colours = { warnSeconds: 300, lateSeconds: 600 };

  it("counts from when the order entered its stage", () => {
    const order = anOrder({ created_at: iso(0), updated_at: iso(8), started_at: iso(8), ready_at: null });
    expect(stageClock(order, T0 + 11 * 60_000, colours)).toMatchObject({ stage: "waiting", level: "late" });
    expect(stageClock({ ...order, status: "preparing" }, T0 + 11 * 60_000, colours)).toMatchObject({
      stage: "making",
      ms: 180_000,
      level: "ok",
    });
    const ready = { ...order, status: "ready" as const, ready_at: iso(10) };
    expect(stageClock(ready, T0 + 16 * 60_000, colours)).toMatchObject({ stage: "ready", ms: 360_000, level: "warn" });
  });

  it("falls back to the last move for orders from before started_at", () => {
    const order = anOrder({ status: "preparing", updated_at: iso(2), started_at: undefined });
    expect(stageClock(order, T0 + 3 * 60_000, colours).ms).toBe(60_000);
  });

  it("takes the bar's colours, or the defaults when they are missing or make no sense", () => {
    const bar = { wait_warn_seconds: 120, wait_late_seconds: 240 } as BarSettings;
    expect(waitColours(bar)).toEqual({ warnSeconds: 120, lateSeconds: 240 });
    expect(waitColours({ ...bar, wait_late_seconds: 60 })).toEqual(DEFAULT_WAIT);
    expect(waitColours(null)).toEqual(DEFAULT_WAIT);
  });

  it("formats elapsed time for a glance across the room", () => {
    expect(formatElapsed(65_000)).toBe("1:05");
    expect(formatElapsed(3_723_000)).toBe("1h 02m");
    expect(formatElapsed(-5)).toBe("0:00");
  });

  it("names an order as the pickup board calls it", () => {
    expect(pickupLine(anOrder({ number: 41, username: "Ana", drink_name: "Negroni" }))).toBe("#41 Ana – Negroni");
    expect(pickupLine(anOrder({ number: null, quantity: 2, drink_name: "Mojito" }))).toBe("Ana – 2 × Mojito");
  });
});

describe("keys and selection", () => {
  const board = boardOf([
    anOrder({ id: "p1" }),
    anOrder({ id: "p2" }),
    anOrder({ id: "p3" }),
    anOrder({ id: "m1", status: "preparing" }),
    anOrder({ id: "r1", status: "ready" }),
  ]);
  const run = (keys: string[]) =>
    keys.reduce((selection, key) => navigate(board, selection, commandFor(key) as Command), NO_SELECTION);

  it("maps the bump bar's keys", () => {
    expect(commandFor("Enter")).toEqual({ kind: "bump" });
    expect(commandFor("Backspace")).toEqual({ kind: "cancel" });
    expect(commandFor("Delete")).toEqual({ kind: "cancel" });
    expect(commandFor("B")).toEqual({ kind: "batch" });
    expect(commandFor("u")).toEqual({ kind: "undo" });
    expect(commandFor("n")).toEqual({ kind: "not-ready" });
    expect(commandFor("3")).toEqual({ kind: "pick", position: 3 });
    expect(commandFor("0")).toBeNull();
    expect(commandFor("x")).toBeNull();
  });

  it("selects with arrows and position numbers, staying on the board", () => {
    expect(run(["ArrowDown"]).id).toBe("p1");
    expect(run(["ArrowDown", "ArrowDown"]).id).toBe("p2");
    expect(run(["3"]).id).toBe("p3");
    expect(run(["9"]).id).toBeNull(); // no ninth ticket: nothing changes
    expect(run(["3", "ArrowDown", "ArrowDown"]).id).toBe("p3");
    expect(run(["3", "ArrowRight"]).id).toBe("m1"); // the column has one: the nearest
    expect(run(["ArrowRight", "ArrowRight", "ArrowRight"]).id).toBe("r1");
    expect(run(["ArrowLeft", "ArrowUp"]).id).toBe("p1");
  });

  it("hands the selection to the next ticket when the selected one leaves its column", () => {
    const selected = run(["2"]);
    const after = boardOf([anOrder({ id: "p1" }), anOrder({ id: "p3" }), anOrder({ id: "p2", status: "preparing" })]);
    expect(reconcile(after, selected)).toEqual({ column: "pending", index: 1, id: "p3" });
    const emptied = boardOf([]);
    expect(reconcile(emptied, selected)).toEqual({ column: "pending", index: 0, id: null });
  });

  it("hands over to the next ticket as soon as the selected one is bumped", () => {
    expect(handOver(board, run(["2"]))).toEqual({ column: "pending", index: 1, id: "p3" });
    expect(handOver(board, run(["3"]))).toEqual({ column: "pending", index: 2, id: "p2" });
    expect(handOver(board, run(["ArrowRight"]))).toEqual({ column: "preparing", index: 0, id: null });
  });

  it("follows the selected ticket when one above it leaves", () => {
    const selected = run(["3"]);
    const after = boardOf([anOrder({ id: "p2" }), anOrder({ id: "p3" })]);
    expect(reconcile(after, selected)).toEqual({ column: "pending", index: 1, id: "p3" });
  });
});

describe("moves in flight", () => {
  it("holds a ticket only until its move shows on the board", () => {
    const inFlight = new Map([["a", "pending" as const], ["b", "pending" as const]]);
    const orders = [anOrder({ id: "a" }), anOrder({ id: "b", status: "preparing" }), anOrder({ id: "c" })];
    expect([...stillMoving(orders, inFlight)]).toEqual(["a"]);
  });
});

describe("all-day counts and batches", () => {
  const board = boardOf([
    anOrder({ id: "a", drink_id: "mojito", drink_name: "Mojito", quantity: 2 }),
    anOrder({ id: "b", drink_id: "mojito", drink_name: "Mojito", status: "preparing", quantity: 3 }),
    anOrder({ id: "c", drink_id: "negroni", drink_name: "Negroni" }),
    anOrder({ id: "d", drink_id: "mojito", drink_name: "Mojito" }),
    anOrder({ id: "e", drink_id: "mojito", drink_name: "Mojito", status: "served" }),
  ]);

  it("counts drinks, not orders, split by status", () => {
    expect(allDay(board)).toEqual([
      { drink_id: "mojito", drink_name: "Mojito", pending: 3, preparing: 3, ready: 0, total: 6 },
      { drink_id: "negroni", drink_name: "Negroni", pending: 1, preparing: 0, ready: 0, total: 1 },
    ]);
  });

  it("batches one drink's orders one step on, in chunks the route takes", () => {
    expect(batchOf(board, "mojito", "pending")).toEqual({ to: "preparing", chunks: [["a", "d"]] });
    expect(batchOf(board, "mojito", "preparing")).toEqual({ to: "ready", chunks: [["b"]] });
    expect(batchOf(board, "mojito", "ready")).toBeNull();
    expect(batchOf(board, "negroni", "preparing")).toBeNull();
    const many = boardOf(Array.from({ length: 51 }, (_, i) => anOrder({ id: `o${i}` })));
    expect(batchOf(many, "d1", "pending")!.chunks.map((c) => c.length)).toEqual([50, 1]);
  });
});

describe("undo", () => {
  it("finds the latest serve still inside the recall window", () => {
    const now = T0 + 10 * 60_000;
    const orders = [
      anOrder({ id: "old", status: "served", completed_at: iso(4) }),
      anOrder({ id: "recent", status: "served", completed_at: iso(8) }),
      anOrder({ id: "earlier", status: "served", completed_at: iso(7) }),
      anOrder({ id: "closed", status: "served", completed_at: iso(9), closed_out: true }),
      anOrder({ id: "open", status: "ready", completed_at: null }),
    ];
    expect(lastServed(orders, now)?.id).toBe("recent");
    expect(lastServed(orders, T0 + 14 * 60_000)).toBeNull();
  });
});

describe("the bar's settings, typed on the display", () => {
  it("turns minutes into the seconds the server takes, and says what is wrong", () => {
    expect(waitPatch("4", "8")).toEqual({ wait_warn_seconds: 240, wait_late_seconds: 480 });
    expect(waitPatch("8", "8")).toBe("Red must come after amber.");
    expect(waitPatch("0", "8")).toMatch(/Amber must be between 1 and 60/);
    expect(waitPatch("5", "")).toMatch(/Red is required/);
  });

  it("reads a reopening time as the next such moment", () => {
    const evening = new Date(2026, 10, 22, 21, 0);
    expect(new Date(reopensAt("22:30", evening)!).getDate()).toBe(22);
    expect(new Date(reopensAt("00:15", evening)!).getDate()).toBe(23);
    expect(reopensAt("later", evening)).toBeNull();
  });
});

describe("new tickets out of view", () => {
  it("counts the new tickets below the visible part of a column", () => {
    const tickets = [
      { id: "in-view", top: 100, height: 80 },
      { id: "half", top: 560, height: 80 },
      { id: "below", top: 700, height: 80 },
    ];
    expect(splitSeen(tickets, 0, 600)).toEqual({ seen: ["in-view", "half"], below: 1 });
    expect(splitSeen(tickets, 200, 600)).toEqual({ seen: ["in-view", "half", "below"], below: 0 });
  });
});
