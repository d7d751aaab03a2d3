import { screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { fakeServices, renderAt, signInGuest } from "../test/fakeServices";
import { recallConversation, rememberConversation } from "./bartenderMemory";
import { JoinPage } from "./JoinPage";

function respond(status: number, body: unknown) {
  return vi.spyOn(globalThis, "fetch").mockResolvedValue(new Response(JSON.stringify(body), { status }));
}

/** identity's 201 to /register for a guest called `username`. */
function registered(username: string) {
  return respond(201, {
    user: { user_key: "u1", username, is_active: true, created_at: "2026-11-22T20:00:00Z" },
    access_token: "a",
    refresh_token: "r",
    token_type: "Bearer",
    expires_in: 900,
  });
}

afterEach(() => vi.restoreAllMocks());

describe("JoinPage", () => {
  it("joins with the invite code and a name, then shows the menu", async () => {
    const services = fakeServices();
    rememberConversation("u0", "someone-elses-chat"); // whoever used this phone before
    const fetch = registered("Rosa");
    renderAt("/join?code=ABCD", <JoinPage />, services, "/join");

    await userEvent.type(screen.getByLabelText("Your name"), "  Rosa ");
    await userEvent.click(screen.getByRole("button", { name: "Join" }));

    expect(await screen.findByText("Menu page")).toBeInTheDocument();
    const [url, init] = fetch.mock.calls[0]!;
    expect(url).toBe("/api/identity/register");
    expect((init!.headers as Record<string, string>)["X-Registration-Code"]).toBe("abcd");
    expect(JSON.parse(String(init!.body))).toEqual({ username: "Rosa" });
    expect(services.guest.profile?.username).toBe("Rosa");
    expect(recallConversation("u0")).toBeNull();
  });

  it("explains a used-up invite instead of showing a raw error", async () => {
    respond(403, { error: { code: "code_unusable", message: "Registration code is not usable", details: {} } });
    renderAt("/join?code=oldcode", <JoinPage />, fakeServices(), "/join");

    await userEvent.type(screen.getByLabelText("Your name"), "Sam");
    await userEvent.click(screen.getByRole("button", { name: "Join" }));

    expect(await screen.findByRole("alert")).toHaveTextContent("Ask the bartender for a new one");
  });

  it("shows the server's reason for refusing a name", async () => {
    const refused = "Names can't contain invisible or direction-changing characters (U+202E)";
    respond(400, {
      error: { code: "validation_error", message: "The request is not valid", details: { fields: { username: refused } } },
    });
    renderAt("/join?code=ABCD", <JoinPage />, fakeServices(), "/join");

    await userEvent.type(screen.getByLabelText("Your name"), "\u202eevil");
    await userEvent.click(screen.getByRole("button", { name: "Join" }));

    expect(await screen.findByRole("alert")).toHaveTextContent(`username: ${refused}`);
    expect(screen.getByRole("button", { name: "Join" })).toBeEnabled();
  });

  it("refuses a one-letter name before calling the server", async () => {
    const fetch = respond(201, {});
    renderAt("/join?code=ABCD", <JoinPage />, fakeServices(), "/join");

    await userEvent.type(screen.getByLabelText("Your name"), "A");
    await userEvent.click(screen.getByRole("button", { name: "Join" }));

    expect(await screen.findByRole("alert")).toHaveTextContent("2 to 50 characters");
    expect(fetch).not.toHaveBeenCalled();
  });

  it("counts a name as the server does: 30 emoji are 30 characters, not 60", async () => {
    const fetch = registered("x");
    renderAt("/join?code=ABCD", <JoinPage />, fakeServices(), "/join");

    await userEvent.type(screen.getByLabelText("Your name"), "🍹".repeat(30));
    expect(screen.getByText("2 to 50 characters.")).toBeInTheDocument();
    await userEvent.click(screen.getByRole("button", { name: "Join" }));

    expect(await screen.findByText("Menu page")).toBeInTheDocument();
    expect(fetch).toHaveBeenCalled();
  });

  it("takes the code typed from the invite sheet when the link has none, spelt as identity spells it", async () => {
    const fetch = registered("Rosa");
    renderAt("/join", <JoinPage />, fakeServices(), "/join");

    await userEvent.type(screen.getByLabelText("Invite code"), "Abcd efgh-JKMN");
    expect(screen.getByLabelText("Invite code")).toHaveValue("abcdefghjkmn");
    await userEvent.type(screen.getByLabelText("Your name"), "Rosa");
    await userEvent.click(screen.getByRole("button", { name: "Join" }));

    expect(await screen.findByText("Menu page")).toBeInTheDocument();
    const [, init] = fetch.mock.calls[0]!;
    expect((init!.headers as Record<string, string>)["X-Registration-Code"]).toBe("abcdefghjkmn");
  });

  it("asks for the code before calling the server, and says a mistyped one may be wrong", async () => {
    const fetch = respond(403, { error: { code: "code_unusable", message: "Registration code is not usable", details: {} } });
    renderAt("/join", <JoinPage />, fakeServices(), "/join");

    await userEvent.type(screen.getByLabelText("Your name"), "Sam");
    await userEvent.click(screen.getByRole("button", { name: "Join" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("Type the invite code printed under the QR code");
    expect(fetch).not.toHaveBeenCalled();

    await userEvent.type(screen.getByLabelText("Invite code"), "abcdefghjkmm");
    await userEvent.click(screen.getByRole("button", { name: "Join" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("check it against the sheet");
  });

  it("does not ask for a code the invite link brought", () => {
    renderAt("/join?code=abcdefghjkmn", <JoinPage />, fakeServices(), "/join");
    expect(screen.queryByLabelText("Invite code")).not.toBeInTheDocument();
    expect(screen.getByLabelText("Your name")).toBeInTheDocument();
  });

  it("says so when the bar ended the guest's session", () => {
    const services = fakeServices();
    window.localStorage.setItem(`barkeep.${services.guest.name}.ended`, "1");
    renderAt("/join?code=ABCD", <JoinPage />, services, "/join");
    expect(screen.getByRole("status")).toHaveTextContent("You were signed out by the bar");
  });

  it("sends a guest who is already in straight to the menu, without spending the code again", async () => {
    const services = fakeServices();
    signInGuest(services);
    renderAt("/join?code=ABCD", <JoinPage />, services, "/join");
    expect(await screen.findByText("Menu page")).toBeInTheDocument();
  });
});
