import type { RegistrationCode } from "../api/types";
import { DEFAULT_CODE_FORM, canRevoke, newestFirst, printPath, usesLeft, usesText, validateCodeForm } from "./codes";

function code(patch: Partial<RegistrationCode> = {}): RegistrationCode {
  return {
    code: "abcd2345",
    join_url: "http://localhost:8080/join?code=abcd2345",
    expires_at: "2026-01-02T08:00:00Z",
    max_uses: 50,
    use_count: 3,
    status: "active",
    notes: null,
    created_by: "admin@example.com",
    created_at: "2026-01-01T20:00:00Z",
    ...patch,
  };
}

describe("validateCodeForm", () => {
  it("accepts the defaults and leaves out empty notes", () => {
    expect(validateCodeForm(DEFAULT_CODE_FORM)).toEqual({ ok: true, value: { max_uses: 50, valid_hours: 12 } });
    expect(validateCodeForm({ ...DEFAULT_CODE_FORM, notes: " door " })).toEqual({
      ok: true,
      value: { max_uses: 50, valid_hours: 12, notes: "door" },
    });
  });

  it("keeps to the limits of API.md", () => {
    expect(validateCodeForm({ maxUses: "0", validHours: "169", notes: "x".repeat(201) })).toEqual({
      ok: false,
      errors: {
        maxUses: "Max uses must be between 1 and 500.",
        validHours: "Valid for (hours) must be between 1 and 168.",
        notes: "Notes can be at most 200 characters (now 201).",
      },
    });
    expect(validateCodeForm({ ...DEFAULT_CODE_FORM, maxUses: "" })).toMatchObject({
      errors: { maxUses: "Max uses is required." },
    });
  });
});

describe("code display", () => {
  it("offers revoking only while revoking changes something", () => {
    expect(canRevoke(code())).toBe(true);
    expect(canRevoke(code({ status: "used_up" }))).toBe(true);
    expect(canRevoke(code({ status: "revoked" }))).toBe(false);
    expect(canRevoke(code({ status: "expired" }))).toBe(false);
  });

  it("shows uses and what is left", () => {
    expect(usesText(code())).toBe("3 / 50");
    expect(usesLeft(code({ use_count: 60 }))).toBe(0);
  });

  it("sorts newest first and builds the print path", () => {
    const older = code({ code: "old", created_at: "2026-01-01T10:00:00Z" });
    const newer = code({ code: "new", created_at: "2026-01-01T11:00:00Z" });
    expect(newestFirst([older, newer]).map((c) => c.code)).toEqual(["new", "old"]);
    expect(printPath("abc")).toBe("/admin/codes/abc/print");
  });
});
