// A Services object for component tests: real sessions over in-memory storage, a realtime
// client that never connects, and api functions the test replaces with vi.fn.

import { render } from "@testing-library/react";
import type { ReactNode } from "react";
import { MemoryRouter, Route, Routes } from "react-router";
import { barkeepApi } from "../api/barkeep";
import { adminSession } from "../auth/admin";
import { guestSession } from "../auth/guest";
import type { AppConfig } from "../config";
import { ServicesProvider, type Services } from "../app/services";
import { RealtimeClient } from "../realtime/client";

export const CONFIG: AppConfig = {
  stage: "test",
  api: { menu: "/api/menu", identity: "/api/identity", orders: "/api/orders", ai: "/api/ai" },
  realtime: { http: "http://localhost/event", ws: "ws://localhost/event/realtime", api_key: "da2-test" },
  auth: { mode: "local", region: "eu-west-1", user_pool_id: "p", client_id: "c", cognito_endpoint: "http://cognito/", hosted_ui_domain: null },
};

class SilentSocket {
  readyState = 0;
  onopen = null;
  onclose = null;
  onmessage = null;
  onerror = null;
  send() {}
  close() {}
}

export function fakeServices(): Services {
  localStorage.clear();
  const guest = guestSession(CONFIG.api.identity, { locks: null });
  const admin = adminSession(CONFIG.auth, { locks: null });
  return {
    config: CONFIG,
    api: barkeepApi(CONFIG, guest, admin),
    guest,
    admin,
    realtime: new RealtimeClient({
      wsUrl: CONFIG.realtime.ws,
      httpUrl: CONFIG.realtime.http,
      apiKey: CONFIG.realtime.api_key,
      WebSocket: SilentSocket as unknown as typeof WebSocket,
    }),
  };
}

/** The guest `u1` signed in, as identity's /register would leave them. */
export function signInGuest(services: Services, username = "Rosa"): void {
  services.guest.start({ access_token: "a", refresh_token: "r", expires_in: 900 }, {
    user_key: "u1",
    username,
    is_active: true,
    created_at: "2026-11-22T20:00:00Z",
  });
}

export function renderAt(path: string, element: ReactNode, services: Services, routePath = "*") {
  return render(
    <ServicesProvider services={services}>
      <MemoryRouter initialEntries={[path]}>
        <Routes>
          <Route path={routePath} element={element} />
          <Route path="/" element={<p>Menu page</p>} />
        </Routes>
      </MemoryRouter>
    </ServicesProvider>,
  );
}
