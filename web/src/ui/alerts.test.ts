import { notify, type Notice, type NotifyEnv } from "./alerts";

const notice: Notice = { title: "#41 · Your Negroni is ready", body: "Pick it up at the bar.", tag: "o1", url: "/orders#order-o1" };

function pageNotification(permission: NotificationPermission = "granted") {
  const shown = vi.fn();
  // A constructor, as the page's Notification is.
  const Page = function (this: unknown, title: string, options?: NotificationOptions) {
    shown(title, options);
  } as unknown as NonNullable<NotifyEnv["Notification"]>;
  return { Page: Object.assign(Page, { permission }), shown };
}

function workerWith(registration: Partial<ServiceWorkerRegistration> | undefined) {
  return { getRegistration: vi.fn().mockResolvedValue(registration) };
}

describe("notify", () => {
  it("shows it through the active service worker, with the order as its tag and where it opens", async () => {
    const { Page, shown } = pageNotification();
    const showNotification = vi.fn().mockResolvedValue(undefined);
    const serviceWorker = workerWith({ active: {} as ServiceWorker, showNotification });

    const how = await notify(notice, { Notification: Page, serviceWorker });

    expect(how).toBe("worker");
    expect(showNotification).toHaveBeenCalledExactlyOnceWith(
      "#41 · Your Negroni is ready",
      expect.objectContaining({ body: "Pick it up at the bar.", tag: "o1", data: { url: "/orders#order-o1" } }),
    );
    expect(shown).not.toHaveBeenCalled();
  });

  it("shows it from the page when no worker is registered", async () => {
    const { Page, shown } = pageNotification();

    expect(await notify(notice, { Notification: Page, serviceWorker: workerWith(undefined) })).toBe("page");
    expect(shown).toHaveBeenCalledExactlyOnceWith("#41 · Your Negroni is ready", expect.objectContaining({ tag: "o1" }));
  });

  it("shows it from the page, at once, in a browser with no service workers", () => {
    const { Page, shown } = pageNotification();

    void notify(notice, { Notification: Page });

    expect(shown).toHaveBeenCalledOnce();
  });

  it("falls back to the page when the worker is not active yet or refuses", async () => {
    const installing = pageNotification();
    const serviceWorker = workerWith({ active: null, showNotification: vi.fn() });
    expect(await notify(notice, { Notification: installing.Page, serviceWorker })).toBe("page");

    const refused = pageNotification();
    const showNotification = vi.fn().mockRejectedValue(new TypeError("No notification permission"));
    expect(await notify(notice, { Notification: refused.Page, serviceWorker: workerWith({ active: {} as ServiceWorker, showNotification }) })).toBe("page");
    expect(refused.shown).toHaveBeenCalledOnce();
  });

  it("shows nothing without the guest's permission, or where notifications don't exist", async () => {
    const { Page, shown } = pageNotification("default");
    const showNotification = vi.fn();

    expect(await notify(notice, { Notification: Page, serviceWorker: workerWith({ active: {} as ServiceWorker, showNotification }) })).toBe("none");
    expect(await notify(notice, {})).toBe("none");
    expect(shown).not.toHaveBeenCalled();
    expect(showNotification).not.toHaveBeenCalled();
  });

  it("says none when the page's notification is refused too (Android Chrome without a worker)", async () => {
    const Page = Object.assign(
      function () {
        throw new TypeError("Illegal constructor. Use ServiceWorkerRegistration.showNotification() instead.");
      } as unknown as NonNullable<NotifyEnv["Notification"]>,
      { permission: "granted" as const },
    );
    expect(await notify(notice, { Notification: Page })).toBe("none");
  });
});
