import { render, screen, within } from "@testing-library/react";
import {
  BarListChart,
  ColumnChart,
  countScale,
  drinkData,
  hourBuckets,
  hourSummary,
  layoutBars,
  layoutColumns,
  listSummary,
  niceStep,
  statusData,
  truncate,
  type Box,
} from "./charts";

const box: Box = { width: 110, height: 120, top: 10, right: 0, bottom: 10, left: 10 };

describe("scales", () => {
  it("rounds steps up to 1, 2 or 5 times a power of ten", () => {
    expect([0, 0.4, 1, 1.4, 3, 7, 12, 37, 260].map(niceStep)).toEqual([1, 1, 1, 2, 5, 10, 20, 50, 500]);
  });

  it("builds a count axis with a round top", () => {
    expect(countScale([])).toEqual({ max: 1, ticks: [0, 1] });
    expect(countScale([0, 0])).toEqual({ max: 1, ticks: [0, 1] });
    expect(countScale([3])).toEqual({ max: 3, ticks: [0, 1, 2, 3] });
    expect(countScale([7], 4)).toEqual({ max: 8, ticks: [0, 2, 4, 6, 8] });
    expect(countScale([37], 4)).toEqual({ max: 40, ticks: [0, 10, 20, 30, 40] });
  });

  it("lays columns out in equal bands, heights proportional to the axis", () => {
    const [full, half, none] = layoutColumns([10, 5, 0], { ...box, width: 40, left: 10 }, 10);
    expect(full!.x).toBeCloseTo(11.4);
    expect(full!.width).toBeCloseTo(7.2);
    expect(full!.y).toBe(10);
    expect(full!.height).toBe(100);
    expect(half!.y).toBe(60);
    expect(half!.height).toBe(50);
    expect(none!.height).toBe(0);
    expect(none!.y).toBe(110);
  });

  it("lays bars out one per row, the longest filling the plot", () => {
    const [long, short] = layoutBars([8, 2], box, 20);
    expect(long!.width).toBe(100);
    expect(short!.width).toBe(25);
    expect(short!.y - long!.y).toBe(20);
    expect(layoutBars([0], box, 20)[0]!.width).toBe(0);
  });

  it("shortens long labels with an ellipsis", () => {
    expect(truncate("Negroni", 10)).toBe("Negroni");
    expect(truncate("Corpse Reviver No. 2", 10)).toBe("Corpse Re…");
  });
});

describe("dashboard data", () => {
  it("fills the hours without orders with zeros, oldest first, ending at the current hour", () => {
    const now = new Date("2026-01-01T21:40:00Z");
    const buckets = hourBuckets(
      [
        { hour: "2026-01-01T19:00:00Z", count: 4 },
        { hour: "2026-01-01T21:00:00Z", count: 2 },
      ],
      now,
      4,
    );
    expect(buckets.map((b) => b.value)).toEqual([0, 4, 0, 2]);
    expect(buckets[3]!.key).toBe(String(Date.parse("2026-01-01T21:00:00Z")));
    const local = new Date("2026-01-01T21:00:00Z");
    const hh = String(local.getHours()).padStart(2, "0");
    expect(buckets[3]!.label).toBe(`${hh}:${String(local.getMinutes()).padStart(2, "0")}`);
    expect(buckets[3]!.axisLabel).toBe(hh);
    expect(buckets[2]!.axisLabel).toBe("");
  });

  it("trusts the server's newest hour when this clock runs behind", () => {
    const buckets = hourBuckets([{ hour: "2026-01-01T22:00:00Z", count: 1 }], new Date("2026-01-01T21:59:00Z"), 24);
    expect(buckets).toHaveLength(24);
    expect(buckets.at(-1)!.value).toBe(1);
  });

  it("summarises for screen readers", () => {
    const buckets = hourBuckets([{ hour: "2026-01-01T20:00:00Z", count: 3 }], new Date("2026-01-01T21:10:00Z"), 3);
    expect(hourSummary(buckets)).toBe(
      `Orders per hour over the last 3 hours: 3 orders in total, busiest at ${buckets[1]!.label} with 3.`,
    );
    expect(hourSummary(hourBuckets([], new Date(), 24))).toBe("Orders per hour: no orders in the last 24 hours.");
    expect(listSummary("Orders by status", statusData({ pending: 2, served: 5 }))).toBe(
      "Orders by status: pending 2, preparing 0, ready 0, served 5, cancelled 0.",
    );
    expect(listSummary("Orders by drink", [])).toBe("Orders by drink: no orders yet.");
  });

  it("keeps the top drinks, most ordered first", () => {
    const byDrink = Array.from({ length: 12 }, (_, i) => ({ drink_id: `d${i}`, drink_name: `Drink ${i}`, count: i }));
    const top = drinkData(byDrink);
    expect(top).toHaveLength(10);
    expect(top[0]).toEqual({ key: "d11", label: "Drink 11", value: 11 });
  });
});

describe("chart components", () => {
  it("draws an accessible column chart with the numbers in a hidden table", () => {
    const data = statusData({ pending: 2, ready: 1 });
    render(<ColumnChart title="By status" data={data} summary="Orders by status: pending 2" labelHeader="Status" showValues />);
    const figure = screen.getByRole("figure", { name: "By status" });
    expect(within(figure).getByRole("img", { name: "Orders by status: pending 2" })).toBeInTheDocument();
    const table = within(figure).getByRole("table", { name: "By status" });
    expect(table).toHaveClass("visually-hidden");
    expect(within(table).getByRole("row", { name: "pending 2" })).toBeInTheDocument();
    expect(figure.querySelectorAll("rect")).toHaveLength(5);
  });

  it("says so when there is nothing to draw", () => {
    render(<BarListChart title="By drink" data={[]} summary="Orders by drink: no orders yet." labelHeader="Drink" />);
    expect(screen.getByRole("img", { name: "Orders by drink: no orders yet." })).toHaveTextContent("No orders yet");
  });
});
