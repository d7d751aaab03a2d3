import { forgetGuestCaches, MENU_CACHE, readCache, writeCache } from "../app/cache";
import { forgetConversation, recallConversation, rememberConversation } from "./bartenderMemory";

beforeEach(() => localStorage.clear());

describe("the guest's conversation with the bartender, kept by its id", () => {
  it("is kept per guest", () => {
    rememberConversation("u1", "c1");
    expect(recallConversation("u1")).toBe("c1");
    expect(recallConversation("u2")).toBeNull();
  });

  it("is forgotten on its own when the server no longer knows it", () => {
    rememberConversation("u1", "c1");
    rememberConversation("u2", "c2");
    forgetConversation("u1");
    expect(recallConversation("u1")).toBeNull();
    expect(recallConversation("u2")).toBe("c2");
  });

  it("goes with the guest's other kept things when someone joins or leaves, and the menu stays", () => {
    rememberConversation("u1", "c1");
    writeCache(MENU_CACHE, ["menu"]);
    forgetGuestCaches();
    expect(recallConversation("u1")).toBeNull();
    expect(readCache(MENU_CACHE)).toEqual(["menu"]);
  });

  it("ignores anything unreadable", () => {
    localStorage.setItem("barkeep.cache.chat.u1", JSON.stringify({ saved_at: Date.now(), value: 42 }));
    expect(recallConversation("u1")).toBeNull();
  });
});
