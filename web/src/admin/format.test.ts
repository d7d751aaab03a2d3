import type { Guest } from "../api/types";
import { filterGuests, formatDuration, openCount } from "./format";

describe("formatDuration", () => {
  it.each([
    [null, "—"],
    [undefined, "—"],
    [-1, "—"],
    [Number.NaN, "—"],
    [0, "0s"],
    [38.4, "38s"],
    [59.6, "1m 0s"],
    [252, "4m 12s"],
    [3900, "1h 05m"],
  ])("formats %s as %s", (seconds, text) => {
    expect(formatDuration(seconds)).toBe(text);
  });
});

it("counts the orders still open", () => {
  expect(openCount({ pending: 2, preparing: 1, ready: 4, served: 30, cancelled: 2 })).toBe(7);
  expect(openCount({})).toBe(0);
});

it("filters guests by name, newest first, ignoring case", () => {
  const guest = (username: string, created_at: string): Guest => ({ user_key: username, username, is_active: true, created_at });
  const guests = [guest("Ada", "2026-01-01T20:00:00Z"), guest("Adam", "2026-01-01T21:00:00Z"), guest("Bo", "2026-01-01T22:00:00Z")];
  expect(filterGuests(guests, " ad ").map((g) => g.username)).toEqual(["Adam", "Ada"]);
  expect(filterGuests(guests, "").map((g) => g.username)).toEqual(["Bo", "Adam", "Ada"]);
});
