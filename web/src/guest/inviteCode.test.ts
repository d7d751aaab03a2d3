import { codeProblem, normaliseCode } from "./inviteCode";

describe("normaliseCode", () => {
  it("reads a code typed from the sheet the way identity spells it", () => {
    expect(normaliseCode("Abcd efgh jkmn")).toBe("abcdefghjkmn");
    expect(normaliseCode(" ABCD-EFGH-JKMN ")).toBe("abcdefghjkmn");
    expect(normaliseCode("ａｂｃｄ２３")).toBe("abcd23"); // a full-width keyboard
  });

  it("finds the code in a pasted join link", () => {
    expect(normaliseCode("https://bar.example/join?code=abcdefghjkmn")).toBe("abcdefghjkmn");
    expect(normaliseCode("http://localhost:8080/join?x=1&code=ab%20cd#top")).toBe("abcd");
  });

  it("never grows past the longest code identity accepts", () => {
    expect(normaliseCode("a".repeat(40))).toHaveLength(32);
  });
});

describe("codeProblem", () => {
  it("asks for a code, refuses one too short to be real, and lets a plausible one through", () => {
    expect(codeProblem("")).toMatch(/Type the invite code/);
    expect(codeProblem("abc")).toMatch(/too short/);
    expect(codeProblem("abcdefghjkmn")).toBeNull();
  });
});
