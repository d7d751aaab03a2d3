// What guests are told about the bar's state (GET {orders}/bar, ADR 0029): a paused bar takes
// no orders and says why and until when; at last call it still does. Pure, tested without I/O.

import { ApiError } from "../api/http";
import type { BarSettings } from "../api/types";

/** How often the guest app re-reads the bar (the contract asks for every 15-30 s). */
export const BAR_POLL_MS = 20_000;

/** "21:30": a bar calls times on a 24-hour clock, whatever the phone's locale would say. */
export function clockTime(iso: string): string {
  return new Date(iso).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
}

export interface BarNotice {
  kind: "paused" | "last_call";
  title: string;
  text: string;
  /** "Ordering reopens at 21:30", when the bar said. */
  reopens: string | null;
}

/** The banner over the menu, or null while the bar simply takes orders. */
export function barNotice(bar: BarSettings | undefined): BarNotice | null {
  if (bar?.ordering === "paused") {
    return {
      kind: "paused",
      title: "Ordering is paused",
      text: bar.message || "The bar isn't taking orders for a moment.",
      reopens: bar.reopens_at ? `Ordering reopens at ${clockTime(bar.reopens_at)}` : null,
    };
  }
  if (bar?.ordering === "last_call") {
    return { kind: "last_call", title: "Last call", text: bar.message || "Order now if you'd like one more.", reopens: null };
  }
  return null;
}

/** Why this drink can't be ordered right now (shown beside a disabled Order button), or null. */
export function whyNotOrderable(bar: BarSettings | undefined, soldOut = false): string | null {
  if (soldOut) return "Sold out for now.";
  if (bar?.ordering !== "paused") return null;
  return bar.reopens_at ? `Ordering is paused until ${clockTime(bar.reopens_at)}.` : "Ordering is paused for now.";
}

/** A refused order in plain words. The API's own message for a pause carries an ISO time. */
export function refusalText(error: ApiError, drinkName: string, bar: BarSettings | undefined): string {
  if (error.code === "sold_out") return `Sorry, the ${drinkName} has just sold out.`;
  if (error.code === "ordering_paused") {
    const notice = barNotice(bar);
    const said = notice?.kind === "paused" && bar?.message ? ` ${bar.message.replace(/[.!]*$/, ".")}` : "";
    const when = notice?.reopens ? ` ${notice.reopens}.` : "";
    return `The bar has paused ordering.${said}${when}`;
  }
  return error.friendly;
}
