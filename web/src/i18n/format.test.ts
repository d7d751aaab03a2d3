import { describe, expect, it } from "vitest";
import { formatsFor } from "./format";

// 20:05 wherever the test runs: the formats use the machine's time zone, so build it there
const evening = new Date(2026, 11, 2, 20, 5).toISOString();
const morning = new Date(2026, 11, 2, 8, 5).toISOString();

describe("formatsFor", () => {
  it("writes a time of day as the language does, without a padded hour", () => {
    expect(formatsFor("en-US").time(evening)).toMatch(/^8:05\s?PM$/);
    expect(formatsFor("en-US").time(morning)).toMatch(/^8:05\s?AM$/);
    expect(formatsFor("sv-SE").time(evening)).toBe("20:05");
    expect(formatsFor("sv-SE").time(morning)).toBe("08:05");
  });

  it("calls the bar's times on a 24-hour clock in every language", () => {
    expect(formatsFor("en-US").clock(evening)).toBe("20:05");
    expect(formatsFor("sv-SE").clock(evening)).toBe("20:05");
  });

  it("writes numbers with the language's separators", () => {
    expect(formatsFor("en-US").number(1234.5)).toBe("1,234.5");
    expect(formatsFor("sv-SE").number(1234.5).replace(/\s/g, " ")).toBe("1 234,5");
  });
});
