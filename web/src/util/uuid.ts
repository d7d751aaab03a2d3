// A random (version 4) UUID. `crypto.randomUUID` exists only in a secure context, and
// `make party` over plain HTTP (a LAN address, ADR 0035) is not one; `getRandomValues` works
// everywhere, so it stands in there.

type Random = Pick<Crypto, "getRandomValues"> & { randomUUID?: () => string };

export function randomUuid(source: Random = globalThis.crypto): string {
  if (typeof source.randomUUID === "function") return source.randomUUID();
  const bytes = source.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6]! & 0x0f) | 0x40; // version 4
  bytes[8] = (bytes[8]! & 0x3f) | 0x80; // RFC 4122 variant
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
