// The guest's session: registration with an invite code, refresh and logout against identity.

import { request } from "../api/http";
import { forgetGuestCaches } from "../app/cache";
import type { Guest, Registration, TokenGrant } from "../api/types";
import { TokenSession, type SessionOptions } from "./tokenSession";

export type GuestSession = TokenSession<Guest>;

const REFRESH_TIMEOUT_MS = 10_000;

export function guestSession(identityUrl: string, options?: SessionOptions): GuestSession {
  return new TokenSession<Guest>(
    "guest",
    (refreshToken) =>
      request<TokenGrant>(`${identityUrl}/token/refresh`, {
        method: "POST",
        body: { refresh_token: refreshToken },
        signal: AbortSignal.timeout(REFRESH_TIMEOUT_MS), // a hung refresh would stall every tab
      }),
    options,
  );
}

export async function join(
  session: GuestSession,
  identityUrl: string,
  code: string,
  username: string,
): Promise<Guest> {
  const registration = await request<Registration>(`${identityUrl}/register`, {
    method: "POST",
    headers: { "X-Registration-Code": code },
    body: { username },
  });
  forgetGuestCaches(); // whoever used this phone before: their orders, chat and diet are not ours
  session.start(registration, registration.user);
  return registration.user;
}

/** Sign out for good: the refresh family is revoked, so nobody can carry on as this guest from
 * this phone, and joining again makes a new guest (ADR 0031): the old guest's orders and their
 * "ready" notifications stay behind with it. */
export async function leave(session: GuestSession, identityUrl: string): Promise<void> {
  const refreshToken = session.load()?.refresh_token;
  session.signOut();
  forgetGuestCaches(); // the next person on this phone must not see them, nor send a tap left behind
  if (refreshToken) {
    await request(`${identityUrl}/logout`, { method: "POST", body: { refresh_token: refreshToken } }).catch(
      () => undefined, // the family expires on its own; signing out locally is what counts
    );
  }
}
