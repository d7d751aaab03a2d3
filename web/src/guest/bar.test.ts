import { ApiError } from "../api/http";
import { aBar } from "../test/fixtures";
import { barNotice, clockTime, refusalText, whyNotOrderable } from "./bar";

// 21:30 on the phone's own clock, whatever time zone the tests run in.
const HALF_NINE = new Date(2026, 11, 2, 21, 30).toISOString();

describe("what guests are told about the bar", () => {
  it("says nothing while the bar is open, or before it has been read", () => {
    expect(barNotice(aBar())).toBeNull();
    expect(barNotice(undefined)).toBeNull();
    expect(whyNotOrderable(aBar())).toBeNull();
    expect(whyNotOrderable(undefined)).toBeNull();
  });

  it("names a pause, the bar's message and the time it reopens on a 24-hour clock", () => {
    const bar = aBar({ ordering: "paused", message: "Changing the kegs", reopens_at: HALF_NINE });
    expect(clockTime(HALF_NINE)).toBe("21:30");
    expect(barNotice(bar)).toEqual({
      kind: "paused",
      title: "Ordering is paused",
      text: "Changing the kegs",
      reopens: "Ordering reopens at 21:30",
    });
    expect(whyNotOrderable(bar)).toBe("Ordering is paused until 21:30.");
  });

  it("says a pause without a message or a time in words of its own", () => {
    const bar = aBar({ ordering: "paused" });
    expect(barNotice(bar)).toMatchObject({ text: "The bar isn't taking orders for a moment.", reopens: null });
    expect(whyNotOrderable(bar)).toBe("Ordering is paused for now.");
  });

  it("calls last orders without stopping them", () => {
    const bar = aBar({ ordering: "last_call", message: "Kitchen closes at midnight" });
    expect(barNotice(bar)).toMatchObject({ kind: "last_call", title: "Last call", text: "Kitchen closes at midnight" });
    expect(whyNotOrderable(bar)).toBeNull();
  });

  it("puts sold out before the bar's state: it stays true when the bar opens again", () => {
    expect(whyNotOrderable(aBar(), true)).toBe("Sold out for now.");
    expect(whyNotOrderable(aBar({ ordering: "paused" }), true)).toBe("Sold out for now.");
  });

  it("turns a refused order into plain words, without the API's ISO time", () => {
    const paused = new ApiError(409, "ordering_paused", "The bar has paused ordering: Back soon. It reopens at 2026-12-02T20:30:00Z");
    const bar = aBar({ ordering: "paused", message: "Back soon", reopens_at: HALF_NINE });
    expect(refusalText(paused, "Negroni", bar)).toBe("The bar has paused ordering. Back soon. Ordering reopens at 21:30.");
    expect(refusalText(paused, "Negroni", undefined)).toBe("The bar has paused ordering.");
    expect(refusalText(new ApiError(409, "sold_out", "Negroni is sold out for now"), "Negroni", bar)).toBe(
      "Sorry, the Negroni has just sold out.",
    );
    expect(refusalText(new ApiError(404, "not_found", "No such drink"), "Negroni", bar)).toBe("No such drink");
  });
});
