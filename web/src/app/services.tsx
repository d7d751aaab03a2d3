// The app's long-lived collaborators, made once from config.json and handed down by context.

import { createContext, useContext, type ReactNode } from "react";
import { barkeepApi, type BarkeepApi } from "../api/barkeep";
import { adminSession, type AdminSession } from "../auth/admin";
import { guestSession, type GuestSession } from "../auth/guest";
import type { AppConfig } from "../config";
import { RealtimeClient } from "../realtime/client";

export interface Services {
  config: AppConfig;
  api: BarkeepApi;
  guest: GuestSession;
  admin: AdminSession;
  realtime: RealtimeClient;
}

export function makeServices(config: AppConfig): Services {
  const guest = guestSession(config.api.identity);
  const admin = adminSession(config.auth);
  return {
    config,
    api: barkeepApi(config, guest, admin),
    guest,
    admin,
    realtime: new RealtimeClient({
      wsUrl: config.realtime.ws,
      httpUrl: config.realtime.http,
      apiKey: config.realtime.api_key,
    }),
  };
}

const ServicesContext = createContext<Services | null>(null);

export function ServicesProvider({ services, children }: { services: Services; children: ReactNode }) {
  return <ServicesContext.Provider value={services}>{children}</ServicesContext.Provider>;
}

export function useServices(): Services {
  const services = useContext(ServicesContext);
  if (!services) throw new Error("useServices outside ServicesProvider");
  return services;
}
