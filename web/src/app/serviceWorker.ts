// The installable app's page side (ADR 0034): registering web/sw/sw.js, and following the
// worker when a tapped notification asks the open app to show an order.

import { useEffect } from "react";
import { useNavigate } from "react-router";

/** Set to "on" in localStorage to register the worker in a browser driven by automation. */
export const WORKER_UNDER_AUTOMATION = "barkeep.serviceWorker";

export interface WorkerEnv {
  production: boolean;
  secure: boolean;
  navigator: Pick<Navigator, "webdriver"> & { serviceWorker?: ServiceWorkerContainer };
  optedIn: () => boolean;
}

function browserEnv(): WorkerEnv {
  return {
    production: import.meta.env.PROD,
    secure: globalThis.isSecureContext === true,
    navigator,
    optedIn: () => {
      try {
        return window.localStorage.getItem(WORKER_UNDER_AUTOMATION) === "on";
      } catch {
        return false;
      }
    },
  };
}

/** Only a production build in a secure context gets the worker. A browser driven by tests gets
 * none unless the test asks: Playwright's request routing does not see what a worker fetches,
 * and a test of the network must see the network. */
export function shouldRegisterWorker(env: WorkerEnv = browserEnv()): boolean {
  if (!env.production || !env.secure || !env.navigator.serviceWorker) return false;
  return !env.navigator.webdriver || env.optedIn();
}

export function registerServiceWorker(env: WorkerEnv = browserEnv()): void {
  if (!shouldRegisterWorker(env)) return;
  env.navigator.serviceWorker!.register("/sw.js", { scope: "/" }).catch((error: unknown) => {
    // The app works without it: no offline shell, notifications from the page.
    console.warn("Barkeep's service worker did not register", error);
  });
}

// Where the worker reads the guest's language (sw.js SETTINGS and LOCALE_KEY): a pushed
// notification arrives with the app closed, so the page leaves its choice in Cache Storage.
const WORKER_SETTINGS = "barkeep-settings";
const WORKER_LOCALE = "/__barkeep/locale";

/** Leaves `locale` where the worker finds it; nothing where there is no Cache Storage (plain
 * HTTP, where there is no worker either). */
export async function shareLocaleWithWorker(locale: string, storage: CacheStorage | undefined = globalThis.caches): Promise<void> {
  if (!storage) return;
  try {
    const cache = await storage.open(WORKER_SETTINGS);
    await cache.put(WORKER_LOCALE, new Response(locale, { headers: { "Content-Type": "text/plain" } }));
  } catch {
    // the worker falls back to the browser's languages
  }
}

/** Where a worker's message asks the app to go: one of this app's own paths, or nothing. */
export function openRequest(data: unknown): string | null {
  if (typeof data !== "object" || data === null) return null;
  const { type, url } = data as { type?: unknown; url?: unknown };
  if (type !== "barkeep:open" || typeof url !== "string") return null;
  return url.startsWith("/") && !url.startsWith("//") ? url : null;
}

/** A tapped notification (sw.js's notificationclick) shows its order in the open app. */
export function useWorkerNavigation(): void {
  const navigate = useNavigate();
  useEffect(() => {
    const container = typeof navigator === "undefined" ? undefined : navigator.serviceWorker;
    if (!container) return;
    const onMessage = (event: MessageEvent) => {
      const url = openRequest(event.data);
      if (url) void navigate(url);
    };
    container.addEventListener("message", onMessage);
    return () => container.removeEventListener("message", onMessage);
  }, [navigate]);
}
