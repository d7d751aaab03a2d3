// Barkeep's AppSync Events client (docs/decisions/0016-web-app-realtime-client-and-sessions.md).
//
// One WebSocket per app, shared by every subscription. It speaks AWS's protocol, so the same
// code talks to the local emulator over ws:// and to AppSync over wss://:
//   connect with subprotocols "aws-appsync-event-ws" and "header-<base64url(auth)>"
//   -> connection_init -> connection_ack {connectionTimeoutMs}; `ka` frames keep it alive
//   -> subscribe {id, channel, authorization} -> subscribe_success | subscribe_error
//   <- data {id, event: "<JSON string>"}; unsubscribe {id}.
// The connection authenticates with the public API key; each subscription carries its own
// authorization (a guest or admin token, fetched fresh on every (re)subscribe). A dropped or
// silent socket is abandoned at once and a new one opened with jittered backoff, every
// subscription re-made; each `subscribe_success` tells the subscriber to re-read over HTTP
// (API.md: at-least-once, so events are also de-duplicated on `event_id`, here, once for all).
// A token's subscription lasts only as long as the token (ADR 0026): when the service ends a
// live one with `subscribe_error`, it is made again at once with the current token.

import type { RealtimeEvent } from "../api/types";
import { base64url } from "../util/base64url";
import { randomUuid } from "../util/uuid";

export type ConnectionState = "idle" | "connecting" | "live" | "reconnecting";

export type AuthObject = Record<string, string>;

/**
 * Builds a subscription's auth object; `rejected` is the one the service last refused or let
 * lapse for this subscription (null the first time).
 */
export type Authorizer = (host: string, rejected: AuthObject | null) => Promise<AuthObject | null> | AuthObject | null;

export interface SubscriptionHandlers {
  /** Every new event (never the same `event_id` twice). */
  onEvent(event: RealtimeEvent): void;
  /** The subscription is (again) in place: re-read what may have been missed. */
  onLive?(): void;
  /** The service refused the subscription, even with renewed credentials. */
  onDenied?(message: string): void;
}

export interface RealtimeOptions {
  wsUrl: string;
  httpUrl: string;
  apiKey: string;
  WebSocket?: typeof WebSocket;
  /** Backoff: first delay and cap, in ms. */
  backoff?: { baseMs: number; maxMs: number };
  random?: () => number;
  /** How long a new socket may take to be acknowledged. */
  ackTimeoutMs?: number;
  /** How long the socket stays open after the last subscription goes (page changes). */
  lingerMs?: number;
}

interface Subscription {
  channel: string;
  authorization: Authorizer;
  handlers: SubscriptionHandlers;
  wireId: string | null; // id of the live subscribe on the current socket
  sent: AuthObject | null; // the auth object that subscribe carried
  live: boolean; // the service accepted it (subscribe_success)
  denials: number;
  seen: Set<string>;
}

const SUBPROTOCOL = "aws-appsync-event-ws";
const SEEN_LIMIT = 500;
const DENIAL_RETRIES = 3;
const DEFAULT_TIMEOUT_MS = 300_000;

/** The auth object of whoever a session signs in (a guest or an admin), always its current token. */
export function bearerAuth(source: { token(): Promise<string | null>; renew(rejected: string): Promise<string | null> }): Authorizer {
  return async (host, rejected) => {
    let token = await source.token();
    // The very token the service turned down: it expired before the session noticed.
    if (token && rejected?.Authorization === token) token = await source.renew(token);
    return token ? { host, Authorization: token } : null;
  };
}

export class RealtimeClient {
  private socket: WebSocket | null = null;
  private readonly subscriptions = new Map<number, Subscription>();
  private nextKey = 1;
  private stateValue: ConnectionState = "idle";
  private readonly stateListeners = new Set<(state: ConnectionState) => void>();
  private attempts = 0;
  private reconnectTimer: ReturnType<typeof setTimeout> | null = null;
  private watchdog: ReturnType<typeof setTimeout> | null = null;
  private lingerTimer: ReturnType<typeof setTimeout> | null = null;
  private timeoutMs = DEFAULT_TIMEOUT_MS;
  private lastFrameAt = 0;
  private readonly host: string;
  private readonly WebSocketImpl: typeof WebSocket;
  private readonly backoff: { baseMs: number; maxMs: number };
  private readonly random: () => number;

  constructor(private readonly options: RealtimeOptions) {
    this.host = new URL(options.httpUrl).host;
    this.WebSocketImpl = options.WebSocket ?? globalThis.WebSocket;
    this.backoff = options.backoff ?? { baseMs: 500, maxMs: 15_000 };
    this.random = options.random ?? Math.random;
    if (typeof window !== "undefined") {
      // Phones suspend sockets; check at once when the network or the page comes back.
      window.addEventListener("online", () => this.wake());
      document.addEventListener("visibilitychange", () => {
        if (document.visibilityState === "visible") this.wake();
      });
    }
  }

  get state(): ConnectionState {
    return this.stateValue;
  }

  onState(listener: (state: ConnectionState) => void): () => void {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  }

  /** The auth object of the public API key (for `/menu/updates`). */
  apiKeyAuth: Authorizer = (host) => ({ host, "x-api-key": this.options.apiKey });

  subscribe(channel: string, authorization: Authorizer, handlers: SubscriptionHandlers): () => void {
    const key = this.nextKey++;
    const subscription: Subscription = {
      channel,
      authorization,
      handlers,
      wireId: null,
      sent: null,
      live: false,
      denials: 0,
      seen: new Set(),
    };
    this.subscriptions.set(key, subscription);
    this.cancelLinger();
    if (this.stateValue === "live") void this.sendSubscribe(subscription, null);
    else if (!this.socket && this.reconnectTimer === null) this.connect();
    return () => {
      this.subscriptions.delete(key);
      if (subscription.wireId) this.send({ type: "unsubscribe", id: subscription.wireId });
      this.forget(subscription);
      // A page change unsubscribes before the next page subscribes: keep the socket a moment.
      if (this.subscriptions.size === 0) this.lingerTimer = setTimeout(() => this.close(), this.options.lingerMs ?? 5_000);
    };
  }

  /** Close the socket for good (until the next subscription). */
  close(): void {
    this.cancelLinger();
    this.clearTimers();
    if (this.socket) this.detach(this.socket);
    this.socket = null;
    for (const subscription of this.subscriptions.values()) this.forget(subscription);
    this.attempts = 0;
    this.setState("idle");
  }

  /** The subscription is no longer in place on the service. */
  private forget(subscription: Subscription): void {
    subscription.wireId = null;
    subscription.live = false;
  }

  private cancelLinger(): void {
    if (this.lingerTimer !== null) clearTimeout(this.lingerTimer);
    this.lingerTimer = null;
  }

  /** Back from the background or offline: a socket that has been silent too long is dead. */
  private wake(): void {
    if (this.subscriptions.size === 0) return;
    if (this.socket && this.stateValue === "live" && Date.now() - this.lastFrameAt > Math.min(this.timeoutMs, 90_000)) {
      this.abandon(this.socket);
      return;
    }
    if (this.socket || this.stateValue === "live") return; // already connected or connecting
    if (this.reconnectTimer !== null) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = null;
    this.attempts = 0;
    this.connect();
  }

  private connect(): void {
    this.setState(this.stateValue === "idle" ? "connecting" : "reconnecting");
    const header = `header-${base64url(JSON.stringify(this.apiKeyAuth(this.host, null)))}`;
    let socket: WebSocket;
    try {
      socket = new this.WebSocketImpl(this.options.wsUrl, [SUBPROTOCOL, header]);
    } catch {
      this.scheduleReconnect();
      return;
    }
    this.socket = socket;
    this.restartWatchdog(this.options.ackTimeoutMs ?? 15_000); // until connection_ack
    socket.onopen = () => {
      if (this.socket === socket) this.send({ type: "connection_init" });
    };
    socket.onmessage = (message) => {
      if (this.socket === socket) this.receive(String(message.data));
    };
    socket.onerror = () => {
      if (this.socket === socket) this.abandon(socket);
    };
    socket.onclose = () => {
      if (this.socket === socket) this.abandon(socket);
    };
  }

  private detach(socket: WebSocket): void {
    socket.onopen = socket.onmessage = socket.onerror = socket.onclose = null;
    try {
      socket.close(1000);
    } catch {
      // already closed
    }
  }

  /** Give up on this socket now (a dead TCP connection can take a minute to report `close`). */
  private abandon(socket: WebSocket): void {
    if (this.socket !== socket) return;
    this.detach(socket);
    this.socket = null;
    this.clearTimers();
    for (const subscription of this.subscriptions.values()) this.forget(subscription);
    if (this.subscriptions.size > 0) this.scheduleReconnect();
    else this.setState("idle");
  }

  private scheduleReconnect(): void {
    this.setState("reconnecting");
    const cap = Math.min(this.backoff.maxMs, this.backoff.baseMs * 2 ** this.attempts);
    this.attempts += 1;
    const delay = this.backoff.baseMs / 2 + this.random() * cap; // full jitter, never instant
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      this.connect();
    }, delay);
  }

  private restartWatchdog(ms = this.timeoutMs): void {
    if (this.watchdog !== null) clearTimeout(this.watchdog);
    const socket = this.socket;
    // No ack, or no `ka` within the server's connection timeout: the socket is dead even if
    // it looks open.
    this.watchdog = setTimeout(() => socket && this.abandon(socket), ms);
  }

  private clearTimers(): void {
    if (this.watchdog !== null) clearTimeout(this.watchdog);
    if (this.reconnectTimer !== null) clearTimeout(this.reconnectTimer);
    this.watchdog = null;
    this.reconnectTimer = null;
  }

  private receive(text: string): void {
    let frame: Record<string, unknown>;
    try {
      frame = JSON.parse(text) as Record<string, unknown>;
    } catch {
      return;
    }
    this.lastFrameAt = Date.now();
    switch (frame.type) {
      case "connection_ack":
        this.timeoutMs = Number(frame.connectionTimeoutMs) || DEFAULT_TIMEOUT_MS;
        this.attempts = 0;
        this.restartWatchdog();
        this.setState("live");
        for (const subscription of this.subscriptions.values()) void this.sendSubscribe(subscription, null);
        break;
      case "ka":
        this.restartWatchdog();
        break;
      case "subscribe_success": {
        const subscription = this.byWireId(frame.id);
        if (subscription) {
          subscription.denials = 0;
          subscription.live = true;
          subscription.handlers.onLive?.();
        }
        break;
      }
      case "subscribe_error":
        this.denied(frame.id, frame.errors);
        break;
      case "data":
        this.deliver(frame.id, frame.event);
        break;
      case "connection_error":
      case "error":
        if ((frame.id === undefined || frame.id === null) && this.socket) this.abandon(this.socket);
        break;
      default:
        break;
    }
  }

  private byWireId(id: unknown): Subscription | undefined {
    if (typeof id !== "string") return undefined;
    for (const subscription of this.subscriptions.values()) if (subscription.wireId === id) return subscription;
    return undefined;
  }

  private async sendSubscribe(subscription: Subscription, rejected: AuthObject | null): Promise<void> {
    const authorization = await subscription.authorization(this.host, rejected);
    if (!authorization) {
      subscription.handlers.onDenied?.("Not signed in");
      return;
    }
    if (this.stateValue !== "live" || subscription.wireId) return; // dropped or already made meanwhile
    if (![...this.subscriptions.values()].includes(subscription)) return; // unsubscribed meanwhile
    subscription.wireId = randomUuid();
    subscription.sent = authorization;
    this.send({ type: "subscribe", id: subscription.wireId, channel: subscription.channel, authorization });
  }

  private denied(id: unknown, errors: unknown): void {
    const subscription = this.byWireId(id);
    if (!subscription) return;
    const { live: lapsed, sent: rejected } = subscription;
    this.forget(subscription);
    if (lapsed) {
      // A live subscription ended: its authorization ran out (the token expired or was
      // revoked). Not a refusal: make it again now, with the current token; onLive re-reads.
      void this.sendSubscribe(subscription, rejected);
      return;
    }
    subscription.denials += 1;
    const message =
      (Array.isArray(errors) && (errors[0] as { message?: string } | undefined)?.message) || "Subscription refused";
    if (subscription.denials > DENIAL_RETRIES) {
      subscription.handlers.onDenied?.(message);
      return;
    }
    // Perhaps the token expired on the way: try again with renewed credentials.
    setTimeout(() => {
      if (this.stateValue === "live") void this.sendSubscribe(subscription, rejected);
    }, 1_000 * subscription.denials);
  }

  private deliver(id: unknown, raw: unknown): void {
    const subscription = this.byWireId(id);
    if (!subscription) return;
    let event: RealtimeEvent;
    try {
      event = (typeof raw === "string" ? JSON.parse(raw) : raw) as RealtimeEvent;
    } catch {
      return;
    }
    if (!event || typeof event.event_id !== "string") return;
    if (subscription.seen.has(event.event_id)) return;
    subscription.seen.add(event.event_id);
    if (subscription.seen.size > SEEN_LIMIT) {
      const oldest = subscription.seen.values().next().value;
      if (oldest !== undefined) subscription.seen.delete(oldest);
    }
    subscription.handlers.onEvent(event);
  }

  private send(message: unknown): void {
    if (this.socket?.readyState === 1) this.socket.send(JSON.stringify(message));
  }

  private setState(state: ConnectionState): void {
    if (state === this.stateValue) return;
    this.stateValue = state;
    for (const listener of [...this.stateListeners]) listener(state);
  }
}
