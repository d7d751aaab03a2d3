// Whether the browser has a network at all (navigator.onLine and its online/offline events).
// `false` is reliable (no interface is up); `true` only means "maybe": the server may still be
// out of reach, which the realtime state and failed requests tell apart.

import { useSyncExternalStore } from "react";

function subscribe(listener: () => void): () => void {
  window.addEventListener("online", listener);
  window.addEventListener("offline", listener);
  return () => {
    window.removeEventListener("online", listener);
    window.removeEventListener("offline", listener);
  };
}

export function isOnline(): boolean {
  return typeof navigator === "undefined" || navigator.onLine !== false;
}

/** Re-renders when the browser goes offline or comes back. */
export function useOnline(): boolean {
  return useSyncExternalStore(subscribe, isOnline, () => true);
}
