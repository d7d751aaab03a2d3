import { base64url } from "../util/base64url";
import { FakeSocket, flush } from "../test/fakeSocket";
import { bearerAuth, RealtimeClient } from "./client";

function client() {
  return new RealtimeClient({
    wsUrl: "ws://localhost:8080/event/realtime",
    httpUrl: "http://localhost:8080/event",
    apiKey: "da2-local",
    WebSocket: FakeSocket as unknown as typeof WebSocket,
    backoff: { baseMs: 10, maxMs: 20 },
    random: () => 0,
    lingerMs: 0,
  });
}

const event = (id: string) => JSON.stringify({ type: "ORDER_STATUS_CHANGED", version: 1, event_id: id, occurred_at: "", data: {} });

beforeEach(() => {
  FakeSocket.instances = [];
});

describe("RealtimeClient", () => {
  it("connects with AppSync's subprotocols and the API key, then subscribes with the channel's own auth", async () => {
    const realtime = client();
    const states: string[] = [];
    realtime.onState((s) => states.push(s));
    realtime.subscribe("/orders/u1", (host) => ({ host, Authorization: "guest-token" }), { onEvent: () => {} });

    const socket = FakeSocket.instances[0]!;
    expect(socket.protocols[0]).toBe("aws-appsync-event-ws");
    expect(socket.protocols[1]).toBe(`header-${base64url(JSON.stringify({ host: "localhost:8080", "x-api-key": "da2-local" }))}`);
    socket.open();
    expect(socket.sent[0]).toEqual({ type: "connection_init" });
    socket.serve({ type: "connection_ack", connectionTimeoutMs: 300000 });
    await flush();

    const subscribe = socket.last("subscribe");
    expect(subscribe.channel).toBe("/orders/u1");
    expect(subscribe.authorization).toEqual({ host: "localhost:8080", Authorization: "guest-token" });
    expect(states).toEqual(["connecting", "live"]);
  });

  it("delivers each event once, however often it arrives", async () => {
    const realtime = client();
    const seen: string[] = [];
    realtime.subscribe("/admin/orders", () => ({ Authorization: "t" }), { onEvent: (e) => seen.push(e.event_id) });
    const socket = FakeSocket.instances[0]!;
    socket.open();
    socket.serve({ type: "connection_ack", connectionTimeoutMs: 300000 });
    await flush();
    const id = socket.last("subscribe").id;
    socket.serve({ type: "subscribe_success", id });
    for (const eventId of ["e1", "e1", "e2", "e1"]) socket.serve({ type: "data", id, event: event(eventId) });
    expect(seen).toEqual(["e1", "e2"]);
  });

  it("reconnects after a drop, resubscribes with fresh credentials and asks the subscriber to resync", async () => {
    const realtime = client();
    let token = 0;
    const live = vi.fn();
    const states: string[] = [];
    realtime.onState((s) => states.push(s));
    realtime.subscribe("/orders/u1", (host) => ({ host, Authorization: `token-${++token}` }), {
      onEvent: () => {},
      onLive: live,
    });
    const first = FakeSocket.instances[0]!;
    first.open();
    first.serve({ type: "connection_ack", connectionTimeoutMs: 300000 });
    await flush();
    first.serve({ type: "subscribe_success", id: first.last("subscribe").id });
    expect(live).toHaveBeenCalledTimes(1);

    first.close(); // the network dropped
    expect(realtime.state).toBe("reconnecting");
    await new Promise((resolve) => setTimeout(resolve, 30));
    const second = FakeSocket.instances[1]!;
    second.open();
    second.serve({ type: "connection_ack", connectionTimeoutMs: 300000 });
    await flush();
    const again = second.last("subscribe");
    expect(again.authorization.Authorization).toBe("token-2");
    second.serve({ type: "subscribe_success", id: again.id });
    expect(live).toHaveBeenCalledTimes(2);
    expect(states).toEqual(["connecting", "live", "reconnecting", "live"]);
  });

  it("treats a socket that stops sending keep-alives as dead", async () => {
    vi.useFakeTimers();
    try {
      const realtime = client();
      realtime.subscribe("/menu/updates", realtime.apiKeyAuth, { onEvent: () => {} });
      const socket = FakeSocket.instances[0]!;
      socket.open();
      socket.serve({ type: "connection_ack", connectionTimeoutMs: 1000 });
      vi.advanceTimersByTime(900);
      socket.serve({ type: "ka" });
      vi.advanceTimersByTime(900);
      expect(realtime.state).toBe("live");
      vi.advanceTimersByTime(200);
      expect(realtime.state).toBe("reconnecting");
    } finally {
      vi.useRealTimers();
    }
  });

  it("retries a refused subscription with new credentials, then reports it", async () => {
    vi.useFakeTimers();
    try {
      const realtime = client();
      const denied = vi.fn();
      realtime.subscribe("/orders/u2", () => ({ Authorization: "x" }), { onEvent: () => {}, onDenied: denied });
      const socket = FakeSocket.instances[0]!;
      socket.open();
      socket.serve({ type: "connection_ack", connectionTimeoutMs: 300000 });
      for (let attempt = 0; attempt < 4; attempt++) {
        await vi.advanceTimersByTimeAsync(5_000);
        const subscribe = socket.last("subscribe");
        socket.serve({ type: "subscribe_error", id: subscribe.id, errors: [{ errorType: "UnauthorizedException", message: "Not allowed" }] });
      }
      expect(socket.sent.filter((m) => m.type === "subscribe")).toHaveLength(4);
      expect(denied).toHaveBeenCalledWith("Not allowed");
    } finally {
      vi.useRealTimers();
    }
  });

  it("subscribes again at once with a fresh token when a live subscription's token lapses", async () => {
    // A session whose token the service saw expire before the session renewed it
    let current = "token-1";
    const session = {
      token: vi.fn(async () => current),
      renew: vi.fn(async (rejected: string) => {
        if (rejected === current) current = `token-${Number(current.split("-")[1]) + 1}`;
        return current;
      }),
    };
    const realtime = client();
    const live = vi.fn();
    const denied = vi.fn();
    realtime.subscribe("/orders/u1", bearerAuth(session), { onEvent: () => {}, onLive: live, onDenied: denied });
    const socket = FakeSocket.instances[0]!;
    socket.open();
    socket.serve({ type: "connection_ack", connectionTimeoutMs: 300000 });
    await flush();
    for (let lapse = 1; lapse <= 5; lapse++) {
      const subscribe = socket.last("subscribe");
      expect(subscribe.authorization.Authorization).toBe(`token-${lapse}`);
      socket.serve({ type: "subscribe_success", id: subscribe.id });
      expect(live).toHaveBeenCalledTimes(lapse); // each time in place again: re-read
      // The service ends the subscription: its token expired
      socket.serve({
        type: "subscribe_error",
        id: subscribe.id,
        errors: [{ errorType: "UnauthorizedException", message: "The subscription's authorization has lapsed" }],
      });
      await flush(); // no back-off: a lapse is not a refusal
      expect(socket.last("subscribe").id).not.toBe(subscribe.id);
    }
    expect(session.renew).toHaveBeenCalledTimes(5);
    expect(denied).not.toHaveBeenCalled(); // five lapses, more than the retries a refusal gets
    expect(FakeSocket.instances).toHaveLength(1); // the other subscriptions' socket stays up
  });

  it("takes the session's newer token after a lapse without renewing it again", async () => {
    let current = "old";
    const session = { token: vi.fn(async () => current), renew: vi.fn(async () => "renewed-needlessly") };
    const realtime = client();
    realtime.subscribe("/admin/orders", bearerAuth(session), { onEvent: () => {} });
    const socket = FakeSocket.instances[0]!;
    socket.open();
    socket.serve({ type: "connection_ack", connectionTimeoutMs: 300000 });
    await flush();
    const first = socket.last("subscribe");
    socket.serve({ type: "subscribe_success", id: first.id });
    current = "new"; // the session refreshed its token meanwhile, as it does a minute early
    socket.serve({ type: "subscribe_error", id: first.id, errors: [{ errorType: "UnauthorizedException" }] });
    await flush();
    expect(socket.last("subscribe").authorization.Authorization).toBe("new");
    expect(session.renew).not.toHaveBeenCalled();
  });

  it("unsubscribes, and closes the socket when nothing is left to listen to", async () => {
    const realtime = client();
    const stop = realtime.subscribe("/menu/updates", realtime.apiKeyAuth, { onEvent: () => {} });
    const socket = FakeSocket.instances[0]!;
    socket.open();
    socket.serve({ type: "connection_ack", connectionTimeoutMs: 300000 });
    await flush();
    const id = socket.last("subscribe").id;
    stop();
    expect(socket.last("unsubscribe")).toEqual({ type: "unsubscribe", id });
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(realtime.state).toBe("idle");
  });

  it("keeps the socket when a page change resubscribes right away", async () => {
    const realtime = new RealtimeClient({
      wsUrl: "ws://x/event/realtime",
      httpUrl: "http://x/event",
      apiKey: "k",
      WebSocket: FakeSocket as unknown as typeof WebSocket,
      lingerMs: 50,
    });
    const stop = realtime.subscribe("/admin/orders", () => ({ Authorization: "t" }), { onEvent: () => {} });
    FakeSocket.instances[0]!.open();
    FakeSocket.instances[0]!.serve({ type: "connection_ack", connectionTimeoutMs: 300000 });
    stop();
    realtime.subscribe("/admin/orders", () => ({ Authorization: "t" }), { onEvent: () => {} });
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(FakeSocket.instances).toHaveLength(1);
    expect(realtime.state).toBe("live");
  });

  it("opens one socket, not one per wake-up, while reconnecting", async () => {
    const realtime = client();
    realtime.subscribe("/menu/updates", realtime.apiKeyAuth, { onEvent: () => {} });
    FakeSocket.instances[0]!.close();
    await new Promise((resolve) => setTimeout(resolve, 30)); // the retry's socket is opening
    window.dispatchEvent(new Event("online"));
    window.dispatchEvent(new Event("online"));
    expect(FakeSocket.instances).toHaveLength(2);
  });

  it("gives up on a socket that never acknowledges, and on one whose close never comes", async () => {
    vi.useFakeTimers();
    try {
      const realtime = new RealtimeClient({
        wsUrl: "ws://x/event/realtime",
        httpUrl: "http://x/event",
        apiKey: "k",
        WebSocket: FakeSocket as unknown as typeof WebSocket,
        backoff: { baseMs: 10, maxMs: 20 },
        ackTimeoutMs: 1_000,
      });
      realtime.subscribe("/menu/updates", realtime.apiKeyAuth, { onEvent: () => {} });
      FakeSocket.instances[0]!.open(); // ...and then silence
      vi.advanceTimersByTime(1_001);
      expect(realtime.state).toBe("reconnecting");
      vi.advanceTimersByTime(50);
      expect(FakeSocket.instances).toHaveLength(2);
    } finally {
      vi.useRealTimers();
    }
  });
});
