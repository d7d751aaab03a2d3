import type { AppConfig } from "../config";
import { adminSession, completeHostedSignIn, hostedSignInUrl, signInWithPassword } from "./admin";

const HOSTED: AppConfig["auth"] = {
  mode: "hosted",
  region: "eu-west-1",
  user_pool_id: "pool",
  client_id: "client-1",
  cognito_endpoint: null,
  hosted_ui_domain: "barkeep.auth.eu-west-1.amazoncognito.com",
};
const LOCAL: AppConfig["auth"] = { ...HOSTED, mode: "local", cognito_endpoint: "http://127.0.0.1:5000/", hosted_ui_domain: null };

function token(claims: Record<string, unknown>): string {
  const part = btoa(JSON.stringify(claims)).replace(/=+$/, "").replace(/\+/g, "-").replace(/\//g, "_");
  return `h.${part}.s`;
}

const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status });

beforeEach(() => {
  localStorage.clear();
  sessionStorage.clear();
});
afterEach(() => vi.restoreAllMocks());

describe("local sign-in (USER_PASSWORD_AUTH)", () => {
  it("signs in a member of the admin group", async () => {
    const fetch = vi.spyOn(globalThis, "fetch").mockResolvedValue(
      json(200, { AuthenticationResult: { AccessToken: token({ "cognito:groups": ["admin"] }), RefreshToken: "r", ExpiresIn: 3600 } }),
    );
    const session = adminSession(LOCAL, { locks: null });
    await signInWithPassword(session, LOCAL, "admin@barkeep.local", "pw");

    const [url, init] = fetch.mock.calls[0]!;
    expect(url).toBe("http://127.0.0.1:5000/");
    expect((init!.headers as Record<string, string>)["X-Amz-Target"]).toBe("AWSCognitoIdentityProviderService.InitiateAuth");
    expect(JSON.parse(String(init!.body))).toMatchObject({ AuthFlow: "USER_PASSWORD_AUTH", ClientId: "client-1" });
    expect(session.profile).toEqual({ email: "admin@barkeep.local" });
  });

  it("says so when the password is wrong, and refuses a user outside the admin group", async () => {
    const session = adminSession(LOCAL, { locks: null });
    vi.spyOn(globalThis, "fetch").mockResolvedValueOnce(json(400, { __type: "NotAuthorizedException", message: "Incorrect username or password." }));
    await expect(signInWithPassword(session, LOCAL, "a@b.c", "bad")).rejects.toMatchObject({ status: 401, message: "Wrong email or password." });

    vi.spyOn(globalThis, "fetch").mockResolvedValueOnce(
      json(200, { AuthenticationResult: { AccessToken: token({ "cognito:groups": ["staff"] }), RefreshToken: "r", ExpiresIn: 3600 } }),
    );
    await expect(signInWithPassword(session, LOCAL, "a@b.c", "pw")).rejects.toMatchObject({ status: 403 });
    expect(session.signedIn).toBe(false);
  });
});

describe("hosted sign-in (authorization code + PKCE)", () => {
  it("sends the browser to managed login with an S256 challenge and finishes with the verifier", async () => {
    const url = new URL(await hostedSignInUrl(HOSTED, "https://bar.example", "/admin/orders"));
    expect(url.origin + url.pathname).toBe("https://barkeep.auth.eu-west-1.amazoncognito.com/oauth2/authorize");
    expect(url.searchParams.get("code_challenge_method")).toBe("S256");
    expect(url.searchParams.get("redirect_uri")).toBe("https://bar.example/admin/callback");
    const challenge = url.searchParams.get("code_challenge")!;
    const state = url.searchParams.get("state")!;

    const fetch = vi.spyOn(globalThis, "fetch").mockResolvedValue(
      json(200, { access_token: token({ "cognito:groups": ["admin"] }), id_token: token({ email: "kim@bar.example" }), refresh_token: "r", expires_in: 3600 }),
    );
    const session = adminSession(HOSTED, { locks: null });
    const returnTo = await completeHostedSignIn(session, HOSTED, "https://bar.example", `?code=abc&state=${state}`);

    expect(returnTo).toBe("/admin/orders");
    expect(session.profile).toEqual({ email: "kim@bar.example" });
    const form = new URLSearchParams(String(fetch.mock.calls[0]![1]!.body));
    expect(form.get("grant_type")).toBe("authorization_code");
    const verifier = form.get("code_verifier")!;
    const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier)));
    const expected = btoa(String.fromCharCode(...digest)).replace(/=+$/, "").replace(/\+/g, "-").replace(/\//g, "_");
    expect(expected).toBe(challenge);
  });

  it("refuses a callback whose state does not match (a forged or stale redirect)", async () => {
    await hostedSignInUrl(HOSTED, "https://bar.example");
    const fetch = vi.spyOn(globalThis, "fetch");
    const session = adminSession(HOSTED, { locks: null });
    await expect(completeHostedSignIn(session, HOSTED, "https://bar.example", "?code=abc&state=forged")).rejects.toMatchObject({
      code: "bad_callback",
    });
    expect(fetch).not.toHaveBeenCalled();
  });
});
