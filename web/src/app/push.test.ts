import { disablePush, enablePush, keyBytes, type PushApi, type PushEnv } from "./push";

const KEY = "BP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3jl7A8";
const OTHER = "BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4";

function fakeApi(): PushApi & { [K in keyof PushApi]: ReturnType<typeof vi.fn> } {
  return {
    pushKey: vi.fn().mockResolvedValue(KEY),
    subscribePush: vi.fn().mockResolvedValue(undefined),
    unsubscribePush: vi.fn().mockResolvedValue(undefined),
  };
}

function subscription(endpoint: string, key: string) {
  return {
    endpoint,
    options: { applicationServerKey: keyBytes(key).buffer, userVisibleOnly: true },
    toJSON: () => ({ endpoint, keys: { p256dh: "p", auth: "a" } }),
    unsubscribe: vi.fn().mockResolvedValue(true),
  };
}

function envWith(manager: Partial<PushManager> | undefined, permission: NotificationPermission = "granted"): PushEnv {
  return {
    permission: () => permission,
    registration: async () => (manager ? ({ pushManager: manager } as ServiceWorkerRegistration) : undefined),
  };
}

describe("enablePush", () => {
  it("subscribes with the stage's key and hands the subscription to the orders service", async () => {
    const api = fakeApi();
    const made = subscription("https://fcm.googleapis.com/fcm/send/1", KEY);
    const subscribe = vi.fn().mockResolvedValue(made);
    const manager = { getSubscription: vi.fn().mockResolvedValue(null), subscribe };

    expect(await enablePush(api, envWith(manager))).toBe("subscribed");

    const [options] = subscribe.mock.calls[0] as [PushSubscriptionOptionsInit];
    expect(options.userVisibleOnly).toBe(true);
    expect(Array.from(options.applicationServerKey as Uint8Array)).toEqual(Array.from(keyBytes(KEY)));
    expect(api.subscribePush).toHaveBeenCalledExactlyOnceWith({
      endpoint: "https://fcm.googleapis.com/fcm/send/1",
      keys: { p256dh: "p", auth: "a" },
    });
  });

  it("keeps a subscription made with this key, and replaces one made with another", async () => {
    const api = fakeApi();
    const current = subscription("https://push/current", KEY);
    const subscribe = vi.fn();
    expect(await enablePush(api, envWith({ getSubscription: vi.fn().mockResolvedValue(current), subscribe }))).toBe("subscribed");
    expect(subscribe).not.toHaveBeenCalled();
    expect(api.subscribePush).toHaveBeenCalledWith(expect.objectContaining({ endpoint: "https://push/current" }));

    const stale = subscription("https://push/stale", OTHER);
    const fresh = subscription("https://push/fresh", KEY);
    const again = vi.fn().mockResolvedValue(fresh);
    expect(await enablePush(api, envWith({ getSubscription: vi.fn().mockResolvedValue(stale), subscribe: again }))).toBe("subscribed");
    expect(stale.unsubscribe).toHaveBeenCalled();
    expect(api.subscribePush).toHaveBeenLastCalledWith(expect.objectContaining({ endpoint: "https://push/fresh" }));
  });

  it("does nothing without permission or a worker, and fails silently without a push service", async () => {
    const api = fakeApi();
    const manager = { getSubscription: vi.fn().mockResolvedValue(null), subscribe: vi.fn() };
    expect(await enablePush(api, envWith(manager, "default"))).toBe("unavailable");
    expect(await enablePush(api, envWith(undefined))).toBe("unavailable");
    expect(manager.subscribe).not.toHaveBeenCalled();

    const refused = { getSubscription: vi.fn().mockResolvedValue(null), subscribe: vi.fn().mockRejectedValue(new DOMException("Registration failed - push service error", "AbortError")) };
    expect(await enablePush(api, envWith(refused))).toBe("failed");
    api.pushKey.mockRejectedValueOnce(new TypeError("Failed to fetch"));
    expect(await enablePush(api, envWith(manager))).toBe("failed");
    expect(api.subscribePush).not.toHaveBeenCalled();
  });
});

describe("disablePush", () => {
  it("has the server forget this browser, then drops the subscription", async () => {
    const api = fakeApi();
    const current = subscription("https://push/mine", KEY);
    await disablePush(api, envWith({ getSubscription: vi.fn().mockResolvedValue(current) }));
    expect(api.unsubscribePush).toHaveBeenCalledExactlyOnceWith("https://push/mine");
    expect(current.unsubscribe).toHaveBeenCalled();
  });

  it("signs out even when the server or the browser fails", async () => {
    const api = fakeApi();
    api.unsubscribePush.mockRejectedValue(new TypeError("offline"));
    const current = subscription("https://push/mine", KEY);
    current.unsubscribe.mockRejectedValue(new Error("nope"));
    await expect(disablePush(api, envWith({ getSubscription: vi.fn().mockResolvedValue(current) }))).resolves.toBeUndefined();
    await expect(disablePush(api, envWith(undefined))).resolves.toBeUndefined();
  });
});

it("reads a base64url key into its 65 bytes", () => {
  const bytes = keyBytes(KEY);
  expect(bytes.length).toBe(65);
  expect(bytes[0]).toBe(4);
});
