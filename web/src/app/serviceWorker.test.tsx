import { render } from "@testing-library/react";
import { MemoryRouter, useLocation } from "react-router";
import {
  openRequest,
  registerServiceWorker,
  shareLocaleWithWorker,
  shouldRegisterWorker,
  useWorkerNavigation,
  type WorkerEnv,
} from "./serviceWorker";
import { orderUrl } from "../orders/state";

function env(overrides: Partial<WorkerEnv> & { webdriver?: boolean; container?: boolean } = {}): WorkerEnv {
  const { webdriver = false, container = true, ...rest } = overrides;
  return {
    production: true,
    secure: true,
    navigator: { webdriver, serviceWorker: container ? ({ register: vi.fn().mockResolvedValue({}) } as unknown as ServiceWorkerContainer) : undefined },
    optedIn: () => false,
    ...rest,
  };
}

describe("registering the service worker", () => {
  it("registers /sw.js for the whole app in a production build in a secure context", () => {
    const browser = env();
    registerServiceWorker(browser);
    expect(browser.navigator.serviceWorker!.register).toHaveBeenCalledExactlyOnceWith("/sw.js", { scope: "/" });
  });

  it("does not register in development, over plain HTTP, or where there are no service workers", () => {
    expect(shouldRegisterWorker(env({ production: false }))).toBe(false);
    expect(shouldRegisterWorker(env({ secure: false }))).toBe(false);
    expect(shouldRegisterWorker(env({ container: false }))).toBe(false);
  });

  it("does not register in a browser driven by tests unless the test opts in", () => {
    expect(shouldRegisterWorker(env({ webdriver: true }))).toBe(false);
    expect(shouldRegisterWorker(env({ webdriver: true, optedIn: () => true }))).toBe(true);
  });
});

describe("a tapped notification", () => {
  it("opens the app's own paths only", () => {
    expect(openRequest({ type: "barkeep:open", url: "/orders#order-o1" })).toBe("/orders#order-o1");
    expect(openRequest({ type: "barkeep:open", url: "https://elsewhere.example/" })).toBeNull();
    expect(openRequest({ type: "barkeep:open", url: "//elsewhere.example/" })).toBeNull();
    expect(openRequest({ type: "other", url: "/orders" })).toBeNull();
    expect(openRequest("barkeep:open")).toBeNull();
  });

  it("moves the open app to the order the worker names", async () => {
    const container = new EventTarget();
    Object.defineProperty(navigator, "serviceWorker", { value: container, configurable: true });
    let where = "";
    function Probe() {
      useWorkerNavigation();
      const location = useLocation();
      where = location.pathname + location.hash;
      return null;
    }
    try {
      render(
        <MemoryRouter initialEntries={["/"]}>
          <Probe />
        </MemoryRouter>,
      );
      container.dispatchEvent(new MessageEvent("message", { data: { type: "barkeep:open", url: orderUrl("o1") } }));
      await vi.waitFor(() => expect(where).toBe("/orders#order-o1"));
    } finally {
      delete (navigator as { serviceWorker?: unknown }).serviceWorker;
    }
  });
});

describe("the language the worker writes a push in", () => {
  function fakeCaches() {
    const stored = new Map<string, Map<string, Response>>();
    const storage = {
      open: async (name: string) => {
        const cache = stored.get(name) ?? new Map<string, Response>();
        stored.set(name, cache);
        return { put: async (key: string, response: Response) => void cache.set(key, response) };
      },
    } as unknown as CacheStorage;
    return { storage, stored };
  }

  it("is left where sw.js reads it", async () => {
    const { storage, stored } = fakeCaches();
    await shareLocaleWithWorker("sv", storage);
    const response = stored.get("barkeep-settings")?.get("/__barkeep/locale");
    expect(await response?.text()).toBe("sv");
  });

  it("is left nowhere, and nothing breaks, without Cache Storage", async () => {
    await expect(shareLocaleWithWorker("sv", undefined)).resolves.toBeUndefined();
    const failing = { open: () => Promise.reject(new Error("SecurityError")) } as unknown as CacheStorage;
    await expect(shareLocaleWithWorker("sv", failing)).resolves.toBeUndefined();
  });
});
