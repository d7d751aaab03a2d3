import { describe, expect, it } from "vitest";
import { randomUuid } from "./uuid";

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe("randomUuid", () => {
  it("uses crypto.randomUUID where the context is secure", () => {
    expect(randomUuid({ getRandomValues: crypto.getRandomValues.bind(crypto), randomUUID: () => "from-the-browser" })).toBe(
      "from-the-browser",
    );
  });

  it("makes a version 4 UUID from getRandomValues where randomUUID is missing (plain HTTP on a LAN address)", () => {
    const insecure = { getRandomValues: crypto.getRandomValues.bind(crypto) };
    const made = new Set(Array.from({ length: 200 }, () => randomUuid(insecure)));
    expect(made.size).toBe(200);
    for (const id of made) expect(id).toMatch(UUID_V4);
  });
});
