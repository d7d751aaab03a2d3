// The bartender's session: Cognito. `auth.mode` "local" signs in with USER_PASSWORD_AUTH
// (InitiateAuth against the user pool endpoint; moto in `make dev`), "hosted" uses Cognito
// managed login with the authorization code grant and PKCE.

import { ApiError } from "../api/http";
import { base64url } from "../util/base64url";
import type { AppConfig } from "../config";
import { TokenSession, jwtClaims, type Grant, type SessionOptions } from "./tokenSession";

export interface AdminProfile {
  email: string;
}

export type AdminSession = TokenSession<AdminProfile>;
type AuthConfig = AppConfig["auth"];

export const CALLBACK_PATH = "/admin/callback";

export function adminSession(auth: AuthConfig, options?: SessionOptions): AdminSession {
  return new TokenSession<AdminProfile>(
    "admin",
    (refreshToken) =>
      auth.mode === "hosted" ? hostedRefresh(auth, refreshToken) : cognitoRefresh(auth, refreshToken),
    options,
  );
}

export function isAdmin(accessToken: string): boolean {
  const groups = jwtClaims(accessToken)["cognito:groups"];
  return Array.isArray(groups) && groups.includes("admin");
}

// --- local: the Cognito Identity Provider JSON API -------------------------------------------

function cognitoEndpoint(auth: AuthConfig): string {
  return auth.cognito_endpoint ?? `https://cognito-idp.${auth.region}.amazonaws.com/`;
}

async function cognito<T>(auth: AuthConfig, action: string, body: unknown): Promise<T> {
  let response: Response;
  try {
    response = await fetch(cognitoEndpoint(auth), {
      method: "POST",
      headers: {
        "Content-Type": "application/x-amz-json-1.1",
        "X-Amz-Target": `AWSCognitoIdentityProviderService.${action}`,
      },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(10_000),
    });
  } catch {
    throw new ApiError(0, "network_error", "Can't reach the sign-in service.");
  }
  const payload = (await response.json().catch(() => ({}))) as Record<string, unknown>;
  if (!response.ok) {
    const type = String(payload.__type ?? "").split("#").pop() ?? "";
    // Only a refused credential is a 401 (which signs the session out); throttling or a
    // Cognito outage must not end a bartender's shift.
    const status =
      type === "NotAuthorizedException" || type === "UserNotFoundException"
        ? 401
        : type === "TooManyRequestsException"
          ? 429
          : response.status >= 500
            ? response.status
            : 400;
    const message =
      status === 401 ? "Wrong email or password." : String(payload.message ?? `Sign-in failed (${type || response.status})`);
    throw new ApiError(status, type || `http_${response.status}`, message);
  }
  return payload as T;
}

interface InitiateAuthResult {
  AuthenticationResult?: { AccessToken: string; RefreshToken?: string; ExpiresIn: number };
  ChallengeName?: string;
}

export async function signInWithPassword(
  session: AdminSession,
  auth: AuthConfig,
  email: string,
  password: string,
): Promise<void> {
  const result = await cognito<InitiateAuthResult>(auth, "InitiateAuth", {
    AuthFlow: "USER_PASSWORD_AUTH",
    ClientId: auth.client_id,
    AuthParameters: { USERNAME: email, PASSWORD: password },
  });
  const tokens = result.AuthenticationResult;
  if (!tokens?.RefreshToken) {
    throw new ApiError(
      400,
      result.ChallengeName ?? "challenge",
      "This account must finish setting up in Cognito (for example, choose a new password) first.",
    );
  }
  if (!isAdmin(tokens.AccessToken)) {
    throw new ApiError(403, "not_admin", "This account is not in the bartenders' (admin) group.");
  }
  session.start(
    { access_token: tokens.AccessToken, refresh_token: tokens.RefreshToken, expires_in: tokens.ExpiresIn },
    { email },
  );
}

async function cognitoRefresh(auth: AuthConfig, refreshToken: string): Promise<Grant> {
  const result = await cognito<InitiateAuthResult>(auth, "InitiateAuth", {
    AuthFlow: "REFRESH_TOKEN_AUTH",
    ClientId: auth.client_id,
    AuthParameters: { REFRESH_TOKEN: refreshToken },
  });
  const tokens = result.AuthenticationResult;
  if (!tokens) throw new ApiError(401, "refresh_failed", "Please sign in again.");
  return { access_token: tokens.AccessToken, refresh_token: tokens.RefreshToken, expires_in: tokens.ExpiresIn };
}

// --- hosted: Cognito managed login, authorization code + PKCE --------------------------------

function hostedBase(auth: AuthConfig): string {
  const domain = auth.hosted_ui_domain ?? "";
  return (domain.includes("://") ? domain : `https://${domain}`).replace(/\/$/, "");
}

export async function pkcePair(): Promise<{ verifier: string; challenge: string }> {
  const verifier = base64url(crypto.getRandomValues(new Uint8Array(32)));
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier));
  return { verifier, challenge: base64url(new Uint8Array(digest)) };
}

const PKCE_KEY = "barkeep.admin.pkce";

/** Where to send the browser to sign in; remembers the verifier and state for the callback. */
export async function hostedSignInUrl(auth: AuthConfig, origin: string, returnTo = "/admin"): Promise<string> {
  const { verifier, challenge } = await pkcePair();
  const state = base64url(crypto.getRandomValues(new Uint8Array(16)));
  sessionStorage.setItem(PKCE_KEY, JSON.stringify({ verifier, state, returnTo }));
  const params = new URLSearchParams({
    response_type: "code",
    client_id: auth.client_id,
    redirect_uri: origin + CALLBACK_PATH,
    scope: "openid email",
    code_challenge_method: "S256",
    code_challenge: challenge,
    state,
  });
  return `${hostedBase(auth)}/oauth2/authorize?${params}`;
}

async function tokenEndpoint(auth: AuthConfig, form: Record<string, string>): Promise<Grant & { id_token?: string }> {
  const response = await fetch(`${hostedBase(auth)}/oauth2/token`, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(form),
  }).catch(() => {
    throw new ApiError(0, "network_error", "Can't reach the sign-in service.");
  });
  const payload = (await response.json().catch(() => ({}))) as Record<string, unknown>;
  if (!response.ok) {
    throw new ApiError(response.status === 400 ? 401 : response.status, String(payload.error ?? "token_error"), "Please sign in again.");
  }
  return payload as unknown as Grant & { id_token?: string };
}

/** Finish the managed-login redirect; returns where the admin was going. */
export async function completeHostedSignIn(
  session: AdminSession,
  auth: AuthConfig,
  origin: string,
  search: string,
): Promise<string> {
  const params = new URLSearchParams(search);
  const saved = JSON.parse(sessionStorage.getItem(PKCE_KEY) ?? "null") as
    | { verifier: string; state: string; returnTo: string }
    | null;
  sessionStorage.removeItem(PKCE_KEY);
  if (params.get("error")) throw new ApiError(401, params.get("error") ?? "denied", params.get("error_description") ?? "Sign-in was cancelled.");
  const code = params.get("code");
  if (!saved || !code || params.get("state") !== saved.state) {
    throw new ApiError(400, "bad_callback", "This sign-in link is stale. Please sign in again.");
  }
  const grant = await tokenEndpoint(auth, {
    grant_type: "authorization_code",
    client_id: auth.client_id,
    code,
    redirect_uri: origin + CALLBACK_PATH,
    code_verifier: saved.verifier,
  });
  if (!grant.refresh_token) throw new ApiError(401, "no_refresh_token", "Sign-in returned no refresh token.");
  if (!isAdmin(grant.access_token)) {
    throw new ApiError(403, "not_admin", "This account is not in the bartenders' (admin) group.");
  }
  const email = String(jwtClaims(grant.id_token ?? "").email ?? jwtClaims(grant.access_token).username ?? "");
  session.start({ ...grant, refresh_token: grant.refresh_token }, { email });
  return saved.returnTo;
}

function hostedRefresh(auth: AuthConfig, refreshToken: string): Promise<Grant> {
  return tokenEndpoint(auth, { grant_type: "refresh_token", client_id: auth.client_id, refresh_token: refreshToken });
}

export function hostedSignOutUrl(auth: AuthConfig, origin: string): string {
  const params = new URLSearchParams({ client_id: auth.client_id, logout_uri: `${origin}/admin` });
  return `${hostedBase(auth)}/logout?${params}`;
}
