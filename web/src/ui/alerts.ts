// Getting a person's attention: a chime (Web Audio, no sound file to load), a vibration where
// the phone supports it, and a system notification when the guest allowed them.
// Browsers only let a page make sound after the user touched it, so the audio context is
// created (and resumed) on the first tap or key press.

let context: AudioContext | null = null;

function audio(): AudioContext | null {
  const Context = globalThis.AudioContext ?? (globalThis as { webkitAudioContext?: typeof AudioContext }).webkitAudioContext;
  if (!Context) return null;
  context ??= new Context();
  if (context.state === "suspended") void context.resume();
  return context;
}

/** Returns the remover, for an effect's cleanup. */
export function unlockAudioOnFirstGesture(): () => void {
  const remove = () => {
    window.removeEventListener("pointerdown", unlock);
    window.removeEventListener("keydown", unlock);
  };
  const unlock = () => {
    audio();
    remove();
  };
  window.addEventListener("pointerdown", unlock);
  window.addEventListener("keydown", unlock);
  return remove;
}

/** Two or three short notes; `kind` tells the bar's "new order" from the guest's "ready". */
export function chime(kind: "ready" | "new-order"): void {
  const ctx = audio();
  if (!ctx || ctx.state !== "running") return;
  const notes = kind === "ready" ? [660, 880, 1320] : [880, 660];
  notes.forEach((frequency, i) => {
    const start = ctx.currentTime + i * 0.16;
    const oscillator = ctx.createOscillator();
    const gain = ctx.createGain();
    oscillator.type = "sine";
    oscillator.frequency.value = frequency;
    gain.gain.setValueAtTime(0.0001, start);
    gain.gain.exponentialRampToValueAtTime(0.25, start + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, start + 0.3);
    oscillator.connect(gain).connect(ctx.destination);
    oscillator.start(start);
    oscillator.stop(start + 0.32);
  });
}

export function vibrate(): void {
  navigator.vibrate?.([200, 100, 200]);
}

export function notificationsAvailable(): boolean {
  return typeof Notification !== "undefined";
}

export interface Notice {
  title: string;
  body: string;
  /** One notification per thing: a second one with the same tag replaces the first. */
  tag: string;
  /** The app's own path that shows it, opened when the notification is tapped. */
  url: string;
}

export interface NotifyEnv {
  Notification?: Pick<typeof Notification, "permission"> & (new (title: string, options?: NotificationOptions) => unknown);
  serviceWorker?: Pick<ServiceWorkerContainer, "getRegistration">;
}

const ICON = "/icons/icon-192.png";
const BADGE = "/icons/badge-96.png"; // Android's status bar shows this silhouette

function browserNotifyEnv(): NotifyEnv {
  return {
    Notification: typeof Notification === "undefined" ? undefined : Notification,
    serviceWorker: typeof navigator === "undefined" ? undefined : navigator.serviceWorker,
  };
}

/** A system notification, through the service worker when one is active (Android Chrome shows
 * no other kind, and a worker's outlives the page being in front), else from the page. Says
 * which way it went: "worker", "page", or "none" (not allowed, or refused). */
export async function notify(notice: Notice, env: NotifyEnv = browserNotifyEnv()): Promise<"worker" | "page" | "none"> {
  const Page = env.Notification;
  if (!Page || Page.permission !== "granted") return "none";
  const fromPage = () => {
    try {
      new Page(notice.title, { body: notice.body, tag: notice.tag, icon: ICON });
      return "page" as const;
    } catch {
      return "none" as const; // e.g. Android Chrome without a worker; the banner still shows
    }
  };
  if (!env.serviceWorker) return fromPage();
  const registration = await env.serviceWorker.getRegistration().catch(() => undefined);
  if (!registration?.active) return fromPage();
  try {
    await registration.showNotification(notice.title, {
      body: notice.body,
      tag: notice.tag,
      icon: ICON,
      badge: BADGE,
      data: { url: notice.url },
    });
    return "worker";
  } catch {
    return fromPage();
  }
}
