// Web Push (ADR 0036): once the guest allowed notifications, this browser subscribes with the
// stage's VAPID key and the orders service keeps the subscription, so a "ready" reaches the
// phone even locked, with the app closed. Everything here is best effort and silent: with no
// push service (a browser without one, headless Chromium offline, iOS outside the home screen)
// the app's own banner, chime and worker notification still work as before.

import type { PushSubscriptionBody } from "../api/types";

export interface PushApi {
  pushKey: () => Promise<string>;
  subscribePush: (subscription: PushSubscriptionBody) => Promise<void>;
  unsubscribePush: (endpoint: string) => Promise<void>;
}

export interface PushEnv {
  permission: () => NotificationPermission | "unsupported";
  /** The worker's registration; `wait`: also while it is still being registered. */
  registration: (wait: boolean) => Promise<Pick<ServiceWorkerRegistration, "pushManager"> | undefined>;
}

/** How long to wait for the worker (it may still be installing on a first visit). */
const WORKER_WAIT_MS = 10_000;
/** Signing out waits this long at most for the subscription to be forgotten. */
const FORGET_WAIT_MS = 3_000;

function within<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  return Promise.race([promise, new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), ms))]);
}

function browserPushEnv(): PushEnv {
  return {
    permission: () => (typeof Notification === "undefined" ? "unsupported" : Notification.permission),
    registration: async (wait) => {
      const container = typeof navigator === "undefined" ? undefined : navigator.serviceWorker;
      if (!container) return undefined;
      const now = await container.getRegistration();
      // `ready` never settles where no worker registers (a dev build, a test browser)
      return now ?? (wait ? await within(container.ready, WORKER_WAIT_MS) : undefined);
    },
  };
}

export function keyBytes(base64url: string): Uint8Array<ArrayBuffer> {
  const base64 = base64url.replace(/-/g, "+").replace(/_/g, "/");
  const raw = atob(base64 + "=".repeat((4 - (base64.length % 4)) % 4));
  const bytes = new Uint8Array(new ArrayBuffer(raw.length));
  for (let i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
  return bytes;
}

function sameKey(current: ArrayBuffer | null | undefined, wanted: Uint8Array): boolean {
  if (!current) return false;
  const have = new Uint8Array(current);
  return have.length === wanted.length && have.every((b, i) => b === wanted[i]);
}

async function pushManager(env: PushEnv, wait: boolean): Promise<PushManager | undefined> {
  const registration = await env.registration(wait).catch(() => undefined);
  return registration?.pushManager ?? undefined;
}

/** Subscribe this browser (or renew its subscription) and hand it to the orders service. Called
 * when the guest turns notifications on, and on every start while they are on: the server
 * then has this browser's current subscription, even after the push service replaced it or
 * the stage's key changed. Says what happened; never throws. */
export async function enablePush(
  api: PushApi,
  env: PushEnv = browserPushEnv(),
): Promise<"subscribed" | "unavailable" | "failed"> {
  if (env.permission() !== "granted") return "unavailable";
  const manager = await pushManager(env, true); // on a first visit the worker is installing
  if (!manager) return "unavailable";
  try {
    const key = keyBytes(await api.pushKey());
    let subscription = await manager.getSubscription();
    if (subscription && !sameKey(subscription.options.applicationServerKey, key)) {
      await subscription.unsubscribe(); // made with another stage's (or an old) key
      subscription = null;
    }
    subscription ??= await manager.subscribe({ userVisibleOnly: true, applicationServerKey: key });
    const { endpoint, keys } = subscription.toJSON();
    if (!endpoint || !keys?.p256dh || !keys.auth) return "failed";
    await api.subscribePush({ endpoint, keys: { p256dh: keys.p256dh, auth: keys.auth } });
    return "subscribed";
  } catch {
    return "failed"; // no push service, refused, offline: the app's own alerts still work
  }
}

/** Signing out: the server forgets this browser (while the guest's token still works) and the
 * browser drops the subscription, so the next person on this phone gets none of these pings. */
export async function disablePush(api: PushApi, env: PushEnv = browserPushEnv()): Promise<void> {
  const forget = async () => {
    const manager = await pushManager(env, false); // a subscription means a worker already
    const subscription = await manager?.getSubscription();
    if (!subscription) return;
    await api.unsubscribePush(subscription.endpoint).catch(() => undefined);
    await subscription.unsubscribe();
  };
  await within(
    forget().catch(() => undefined),
    FORGET_WAIT_MS,
  );
}
