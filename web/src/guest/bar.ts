// What guests are told about the bar's state (GET {orders}/bar, ADR 0029): a paused bar takes
// no orders and says why and until when; at last call it still does. Pure, tested without I/O.

import { ApiError } from "../api/http";
import type { BarSettings } from "../api/types";
import { apiMessage, translate, type Translator } from "../i18n";

/** How often the guest app re-reads the bar (the contract asks for every 15-30 s). */
export const BAR_POLL_MS = 20_000;

/** "21:30": a bar calls times on a 24-hour clock, whatever the phone's locale would say. */
export function clockTime(iso: string, tr: Translator = translate()): string {
  return tr.format.clock(iso);
}

export interface BarNotice {
  kind: "paused" | "last_call";
  title: string;
  text: string;
  /** "Ordering reopens at 21:30", when the bar said. */
  reopens: string | null;
}

/** The banner over the menu, or null while the bar simply takes orders. */
export function barNotice(bar: BarSettings | undefined, tr: Translator = translate()): BarNotice | null {
  const { t } = tr;
  if (bar?.ordering === "paused") {
    return {
      kind: "paused",
      title: t("bar.pausedTitle"),
      text: bar.message || t("bar.pausedText"),
      reopens: bar.reopens_at ? t("bar.reopensAt", { time: clockTime(bar.reopens_at, tr) }) : null,
    };
  }
  if (bar?.ordering === "last_call") {
    return { kind: "last_call", title: t("bar.lastCallTitle"), text: bar.message || t("bar.lastCallText"), reopens: null };
  }
  return null;
}

/** Why this drink can't be ordered right now (shown beside a disabled Order button), or null. */
export function whyNotOrderable(bar: BarSettings | undefined, soldOut = false, tr: Translator = translate()): string | null {
  const { t } = tr;
  if (soldOut) return t("bar.soldOutForNow");
  if (bar?.ordering !== "paused") return null;
  return bar.reopens_at ? t("bar.pausedUntil", { time: clockTime(bar.reopens_at, tr) }) : t("bar.pausedForNow");
}

/** A refused order in plain words. The API's own message for a pause carries an ISO time. */
export function refusalText(
  error: ApiError,
  drinkName: string,
  bar: BarSettings | undefined,
  tr: Translator = translate(),
): string {
  if (error.code === "sold_out") return tr.t("bar.soldOutRefusal", { drink: drinkName });
  if (error.code === "ordering_paused") {
    const notice = barNotice(bar, tr);
    const said = notice?.kind === "paused" && bar?.message ? ` ${bar.message.replace(/[.!]*$/, ".")}` : "";
    const when = notice?.reopens ? ` ${notice.reopens}.` : "";
    return `${tr.t("bar.pausedRefusal")}${said}${when}`;
  }
  return Object.keys(error.fields).length > 0 ? error.friendly : apiMessage(error.code, error.message, tr);
}
