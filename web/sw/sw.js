// Barkeep's service worker (ADR 0034). vite.config.ts's serviceWorker() plugin writes it to
// dist/sw.js with two constants in front: BUILD (this build's id) and PRECACHE (the app shell:
// "/", every built asset and every file in public/). A new build is a new sw.js, so the browser
// installs it and the old shell cache goes.
//
// Online, nothing here is ever answered from a cache first except content-hashed assets (which
// never change under their URL): navigations, /config.json and the public menu go to the network
// and fall back to what was cached only when it fails. Authenticated calls, writes and other
// origins are never touched.
// A third, MESSAGES, holds the words of a pushed notification in each of the app's languages.
/* global BUILD, PRECACHE, MESSAGES */

const SHELL = `barkeep-shell-${BUILD}`;
// The menu and config.json outlive a deploy: offline after an update, last night's copy is
// still better than nothing. Bump the suffix if what is kept there changes shape.
const DATA = "barkeep-data-v1";
// What the page tells the worker: the language the guest chose (app/serviceWorker.ts).
const SETTINGS = "barkeep-settings";
const LOCALE_KEY = "/__barkeep/locale";
const KEEP = new Set([SHELL, DATA, SETTINGS]);
const SHELL_KEY = "/";
const DATA_PATHS = new Set(["/config.json", "/api/menu/drinks", "/api/menu/sections"]);
const PRECACHED = new Set(PRECACHE);

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches
      .open(SHELL)
      // `reload`: straight from the server, never from the HTTP cache of an older build.
      .then((cache) => cache.addAll(PRECACHE.map((url) => new Request(url, { cache: "reload" }))))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) => Promise.all(names.filter((n) => n.startsWith("barkeep-") && !KEEP.has(n)).map((n) => caches.delete(n))))
      .then(() => self.clients.claim()),
  );
});

/** How a request is answered: "shell", "data", "asset", or null (the network, untouched). */
function strategy(request) {
  if (request.method !== "GET") return null;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return null;
  if (request.headers.has("authorization")) return null; // a guest's or the bartender's own data
  if (request.mode === "navigate") {
    // The API or a file opened in a tab is not the app.
    const last = url.pathname.split("/").pop() ?? "";
    if (/^\/(api|event)(\/|$)/.test(url.pathname) || (last.includes(".") && !last.endsWith(".html"))) return null;
    return "shell";
  }
  if (DATA_PATHS.has(url.pathname)) return "data";
  if (url.pathname.startsWith("/assets/") || PRECACHED.has(url.pathname)) return "asset";
  return null;
}

/** The network's answer, kept in `cacheName` under `key` when `keep(response)`; what was kept
 * only when the network fails. */
async function networkFirst(request, cacheName, key, keep) {
  try {
    const response = await fetch(request);
    if (keep(response)) {
      const copy = response.clone();
      await caches.open(cacheName).then((cache) => cache.put(key, copy));
    }
    return response;
  } catch (offline) {
    const cached = await caches.match(key, { cacheName });
    if (cached) return cached;
    throw offline;
  }
}

// Every route is the same index.html: keep the newest one under "/".
const isShell = (response) => response.ok && (response.headers.get("content-type") ?? "").includes("text/html");

async function asset(request) {
  const cached = await caches.match(request, { cacheName: SHELL });
  if (cached) return cached;
  const response = await fetch(request);
  if (response.ok && new URL(request.url).pathname.startsWith("/assets/")) {
    const copy = response.clone();
    await caches.open(SHELL).then((cache) => cache.put(request, copy));
  }
  return response;
}

const ANSWER = {
  shell: (request) => networkFirst(request, SHELL, SHELL_KEY, isShell),
  data: (request) => networkFirst(request, DATA, request, (response) => response.ok),
  asset,
};

self.addEventListener("fetch", (event) => {
  const how = strategy(event.request);
  if (how) event.respondWith(ANSWER[how](event.request));
});

// Web Push (ADR 0036): the orders service pushes {type: "ORDER_READY", order: {id, number,
// drink_name, quantity}} when a guest's drink is ready, encrypted for this browser. It wakes this
// worker even with the phone locked and the app closed. The notification is the one the open app
// shows (ui/alerts.ts notify(), guest/GuestLayout.tsx): the same words, the order's id as its tag
// and the order's card as its link. So when the open app has already shown it, this replaces it
// without a second alert instead of adding one. It is always shown, also over a focused app:
// browsers require a notification for every push (`userVisibleOnly`), and Safari withdraws the
// subscription of a site that skips them.
const ICON = "/icons/icon-192.png";
const BADGE = "/icons/badge-96.png";

function pushed(data) {
  try {
    return data ? data.json() : null;
  } catch {
    return null; // not JSON: still a push, so still a notification
  }
}

/** The guest's language: the one the page last chose, else the first of the browser's we speak. */
async function language() {
  try {
    const saved = await (await caches.open(SETTINGS)).match(LOCALE_KEY);
    const locale = saved ? (await saved.text()).trim() : "";
    if (Object.hasOwn(MESSAGES, locale)) return locale;
  } catch {
    // no Cache Storage: the browser's languages decide
  }
  const spoken = (self.navigator.languages ?? [self.navigator.language]).map((tag) => String(tag).slice(0, 2).toLowerCase());
  return spoken.find((code) => Object.hasOwn(MESSAGES, code)) ?? "en";
}

function say(words, key, params = {}) {
  return words[key].replace(/\{(\w+)\}/g, (whole, name) => (name in params ? String(params[name]) : whole));
}

function readyNotice(order, words) {
  const drink = order.drink_name;
  return {
    title:
      typeof order.number === "number"
        ? say(words, "ready.titleNumbered", { number: `#${order.number}`, drink })
        : say(words, "ready.title", { drink }),
    options: {
      body: say(words, "ready.body"),
      tag: order.id,
      icon: ICON,
      badge: BADGE,
      data: { url: `/orders#order-${order.id}` },
    },
  };
}

async function showPushed(message) {
  const words = MESSAGES[await language()];
  const order = message?.type === "ORDER_READY" ? message.order : null;
  const notice =
    order && typeof order.id === "string" && typeof order.drink_name === "string"
      ? readyNotice(order, words)
      : {
          title: "Barkeep",
          options: { body: say(words, "ready.pushFallback"), tag: "barkeep", icon: ICON, badge: BADGE, data: { url: "/orders" } },
        };
  await self.registration.showNotification(notice.title, notice.options);
}

self.addEventListener("push", (event) => {
  event.waitUntil(showPushed(pushed(event.data)));
});

/** The page a notification opens: its `data.url` when it is this app's, else the orders. */
function target(data) {
  try {
    const url = new URL(data?.url ?? "/orders", self.location.origin);
    if (url.origin === self.location.origin) return url;
  } catch {
    // not a URL: the orders page
  }
  return new URL("/orders", self.location.origin);
}

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const url = target(event.notification.data);
  event.waitUntil(
    (async () => {
      const windows = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
      const open =
        windows.find((c) => c.focused) ?? windows.find((c) => c.visibilityState === "visible") ?? windows[0];
      if (!open) {
        await self.clients.openWindow(url.href);
        return;
      }
      // The open app moves there itself (its router, no reload: it stays live).
      open.postMessage({ type: "barkeep:open", url: url.pathname + url.search + url.hash });
      await open.focus().catch(() => undefined);
    })(),
  );
});
