// Hand-made SVG charts for the dashboard. No chart library: three simple shapes don't justify
// the bundle weight, and drawing them ourselves lets every chart be accessible the same way —
// a <figure> with a caption, an SVG with role="img" and a one-sentence summary, and the exact
// numbers in a visually hidden table for screen readers.

import { useId, type ReactNode } from "react";
import type { OrderStatus, Stats } from "../api/types";

export interface Datum {
  key: string;
  label: string;
  value: number;
  /** Any CSS colour, custom properties included (it is applied as a style, not an attribute). */
  color?: string;
  /** The label under a column; defaults to `label`, "" hides it (crowded axes). */
  axisLabel?: string;
}

// --- scaling --------------------------------------------------------------------------------

/** The smallest of 1, 2, 5 × 10^n that is at least `x` (and at least 1: counts are whole). */
export function niceStep(x: number): number {
  if (!(x > 1)) return 1;
  const power = 10 ** Math.floor(Math.log10(x));
  const fraction = x / power;
  const nice = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10;
  return nice * power;
}

/** A value axis for counts: a round top and at most `maxTicks` whole-number steps up to it. */
export function countScale(values: number[], maxTicks = 5): { max: number; ticks: number[] } {
  const highest = Math.max(0, ...values.filter(Number.isFinite));
  const step = niceStep(highest / maxTicks);
  const max = Math.max(step, Math.ceil(highest / step) * step);
  const ticks: number[] = [];
  for (let tick = 0; tick <= max; tick += step) ticks.push(tick);
  return { max, ticks };
}

export interface Box {
  width: number;
  height: number;
  top: number;
  right: number;
  bottom: number;
  left: number;
}

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Vertical columns in a box: one equal band per datum, heights proportional to the scale. */
export function layoutColumns(values: number[], box: Box, max: number): Rect[] {
  const plotWidth = box.width - box.left - box.right;
  const plotHeight = box.height - box.top - box.bottom;
  const band = values.length ? plotWidth / values.length : 0;
  const barWidth = band * 0.72;
  return values.map((value, index) => {
    const height = max > 0 ? (Math.max(0, value) / max) * plotHeight : 0;
    return {
      x: box.left + index * band + (band - barWidth) / 2,
      y: box.top + plotHeight - height,
      width: barWidth,
      height,
    };
  });
}

/** Horizontal bars, one row each, lengths proportional to the largest value. */
export function layoutBars(values: number[], box: Box, rowHeight: number): Rect[] {
  const plotWidth = box.width - box.left - box.right;
  const highest = Math.max(0, ...values);
  return values.map((value, index) => ({
    x: box.left,
    y: box.top + index * rowHeight + rowHeight * 0.15,
    width: highest > 0 ? (Math.max(0, value) / highest) * plotWidth : 0,
    height: rowHeight * 0.7,
  }));
}

export function truncate(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join("")}…`;
}

// --- the dashboard's data -------------------------------------------------------------------

const HOUR_MS = 3_600_000;

function twoDigits(n: number): string {
  return String(n).padStart(2, "0");
}

/**
 * The last `hours` hours, one bucket each, oldest first. The server only lists hours that had
 * orders, so the gaps are filled with zeros; the window ends at the later of now and the
 * newest reported hour, in case this device's clock runs behind the server's.
 */
export function hourBuckets(perHour: Stats["per_hour"], now: Date, hours = 24): Datum[] {
  const counts = new Map<number, number>();
  for (const { hour, count } of perHour) {
    const start = Math.floor(Date.parse(hour) / HOUR_MS) * HOUR_MS;
    if (Number.isFinite(start)) counts.set(start, (counts.get(start) ?? 0) + count);
  }
  const end = Math.max(Math.floor(now.getTime() / HOUR_MS) * HOUR_MS, ...counts.keys());
  const buckets: Datum[] = [];
  for (let index = hours - 1; index >= 0; index--) {
    const start = end - index * HOUR_MS;
    const local = new Date(start);
    const label = `${twoDigits(local.getHours())}:${twoDigits(local.getMinutes())}`;
    buckets.push({
      key: String(start),
      label,
      value: counts.get(start) ?? 0,
      // Every third hour on the axis: 24 labels don't fit a phone.
      axisLabel: index % 3 === 0 ? twoDigits(local.getHours()) : "",
    });
  }
  return buckets;
}

export const STATUS_ORDER: OrderStatus[] = ["pending", "preparing", "ready", "served", "cancelled"];

export const STATUS_COLORS: Record<OrderStatus, string> = {
  pending: "var(--warn)",
  preparing: "var(--info)",
  ready: "var(--ok)",
  served: "var(--muted)",
  cancelled: "var(--danger)",
};

export function statusData(byStatus: Stats["by_status"]): Datum[] {
  return STATUS_ORDER.map((status) => ({
    key: status,
    label: status,
    value: byStatus[status] ?? 0,
    color: STATUS_COLORS[status],
  }));
}

export function drinkData(byDrink: Stats["by_drink"], limit = 10): Datum[] {
  return [...byDrink]
    .sort((a, b) => b.count - a.count || a.drink_name.localeCompare(b.drink_name))
    .slice(0, limit)
    .map((drink) => ({ key: drink.drink_id, label: drink.drink_name, value: drink.count }));
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

/** What a screen reader hears for the hourly chart: the total and the busiest hour. */
export function hourSummary(buckets: Datum[]): string {
  const total = buckets.reduce((sum, bucket) => sum + bucket.value, 0);
  if (total === 0) return `Orders per hour: no orders in the last ${buckets.length} hours.`;
  const busiest = buckets.reduce((best, bucket) => (bucket.value > best.value ? bucket : best));
  return `Orders per hour over the last ${buckets.length} hours: ${plural(total, "order")} in total, busiest at ${busiest.label} with ${busiest.value}.`;
}

/** Every value named, for short series (statuses, the top ten drinks). */
export function listSummary(title: string, data: Datum[]): string {
  if (data.length === 0 || data.every((datum) => datum.value === 0)) return `${title}: no orders yet.`;
  return `${title}: ${data.map((datum) => `${datum.label} ${datum.value}`).join(", ")}.`;
}

// --- components ----------------------------------------------------------------------------

interface ChartProps {
  title: string;
  data: Datum[];
  summary: string;
  /** Column headers of the hidden table. */
  labelHeader: string;
  valueHeader?: string;
}

// The drawing's own coordinate system; CSS scales it to the card's width (.chart svg).
const WIDTH = 400;

function ChartFigure({
  title,
  data,
  summary,
  labelHeader,
  valueHeader = "Orders",
  height,
  children,
}: ChartProps & { height: number; children: ReactNode }) {
  const titleId = useId();
  return (
    <figure className="chart card" aria-labelledby={titleId}>
      <figcaption>
        <h2 id={titleId}>{title}</h2>
      </figcaption>
      <svg role="img" aria-label={summary} viewBox={`0 0 ${WIDTH} ${height}`} preserveAspectRatio="xMidYMid meet">
        {children}
      </svg>
      <table className="visually-hidden">
        <caption>{title}</caption>
        <thead>
          <tr>
            <th scope="col">{labelHeader}</th>
            <th scope="col">{valueHeader}</th>
          </tr>
        </thead>
        <tbody>
          {data.map((datum) => (
            <tr key={datum.key}>
              <th scope="row">{datum.label}</th>
              <td>{datum.value}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}

/** Vertical columns over a category axis, with a count axis and grid lines. */
export function ColumnChart(props: ChartProps & { showValues?: boolean }) {
  const box: Box = { width: WIDTH, height: 210, top: 14, right: 8, bottom: 24, left: 30 };
  const { max, ticks } = countScale(props.data.map((datum) => datum.value), 4);
  const rects = layoutColumns(
    props.data.map((datum) => datum.value),
    box,
    max,
  );
  const plotBottom = box.height - box.bottom;
  const yOf = (value: number) => plotBottom - (value / max) * (plotBottom - box.top);
  return (
    <ChartFigure {...props} height={box.height}>
      {ticks.map((tick) => (
        <g key={tick}>
          <line x1={box.left} x2={box.width - box.right} y1={yOf(tick)} y2={yOf(tick)} style={{ stroke: "var(--line)" }} />
          <text x={box.left - 6} y={yOf(tick)} textAnchor="end" dominantBaseline="middle">
            {tick}
          </text>
        </g>
      ))}
      {props.data.map((datum, index) => {
        const rect = rects[index]!;
        const centre = rect.x + rect.width / 2;
        return (
          <g key={datum.key}>
            <rect {...rect} rx={2} style={{ fill: datum.color ?? "var(--accent)" }}>
              <title>{`${datum.label}: ${datum.value}`}</title>
            </rect>
            {props.showValues && (
              <text x={centre} y={rect.y - 4} textAnchor="middle">
                {datum.value}
              </text>
            )}
            <text x={centre} y={box.height - 8} textAnchor="middle">
              {datum.axisLabel ?? datum.label}
            </text>
          </g>
        );
      })}
    </ChartFigure>
  );
}

/** One horizontal bar per category, the name on the left and the count at the bar's end. */
export function BarListChart(props: ChartProps) {
  const rowHeight = 26;
  const rows = Math.max(1, props.data.length);
  const box: Box = { width: WIDTH, height: rows * rowHeight + 8, top: 4, right: 36, bottom: 4, left: 132 };
  const rects = layoutBars(
    props.data.map((datum) => datum.value),
    box,
    rowHeight,
  );
  return (
    <ChartFigure {...props} height={box.height}>
      {props.data.length === 0 && (
        <text x={WIDTH / 2} y={box.height / 2} textAnchor="middle" dominantBaseline="middle">
          No orders yet
        </text>
      )}
      {props.data.map((datum, index) => {
        const rect = rects[index]!;
        const middle = rect.y + rect.height / 2;
        return (
          <g key={datum.key}>
            <text x={box.left - 8} y={middle} textAnchor="end" dominantBaseline="middle">
              {truncate(datum.label, 18)}
            </text>
            <rect {...rect} rx={2} style={{ fill: datum.color ?? "var(--accent)" }}>
              <title>{`${datum.label}: ${datum.value}`}</title>
            </rect>
            <text x={rect.x + rect.width + 6} y={middle} dominantBaseline="middle">
              {datum.value}
            </text>
          </g>
        );
      })}
    </ChartFigure>
  );
}
