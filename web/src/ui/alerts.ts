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

export function notify(title: string, body: string, tag: string): void {
  if (!notificationsAvailable() || Notification.permission !== "granted") return;
  try {
    new Notification(title, { body, tag, icon: "/favicon.svg" });
  } catch {
    // Android Chrome only shows notifications from a service worker; the banner still shows.
  }
}
