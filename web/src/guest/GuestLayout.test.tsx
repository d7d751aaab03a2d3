import { act, render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { MemoryRouter, Route, Routes } from "react-router";
import { ApiError } from "../api/http";
import type { Order } from "../api/types";
import { ordersCacheKey, readCache } from "../app/cache";
import { ServicesProvider, type Services } from "../app/services";
import { RealtimeClient } from "../realtime/client";
import { CONFIG, fakeServices, signInGuest } from "../test/fakeServices";
import { FakeSocket, flush } from "../test/fakeSocket";
import { aBar, aDrink, anOrder } from "../test/fixtures";
import { BAR_POLL_MS } from "./bar";
import { recallConversation, rememberConversation } from "./bartenderMemory";
import { loadDiet, saveDiet } from "./dietFilter";
import { PENDING_MAX_AGE_MS, readPending, savePending, type PendingOrder } from "./pendingOrder";
import { GuestLayout } from "./GuestLayout";
import { MenuPage } from "./MenuPage";
import { OrdersPage } from "./OrdersPage";

const SECTIONS = [{ id: "s1", name: "Classics", description: "", display_order: 1 }];
const unreachable = () => new ApiError(0, "network_error", "Can't reach the bar right now. Check your connection.");

/** A signed-in guest whose realtime socket the test plays (FakeSocket). */
function signedIn(): Services {
  const services = fakeServices();
  signInGuest(services);
  FakeSocket.instances = [];
  services.realtime = new RealtimeClient({
    wsUrl: CONFIG.realtime.ws,
    httpUrl: CONFIG.realtime.http,
    apiKey: CONFIG.realtime.api_key,
    WebSocket: FakeSocket as unknown as typeof WebSocket,
  });
  services.api.menu.sections = vi.fn().mockResolvedValue(SECTIONS);
  services.api.menu.drinks = vi.fn().mockResolvedValue([aDrink()]);
  services.api.orders.mine = vi.fn().mockResolvedValue({ orders: [], complete: true });
  services.api.bar = vi.fn().mockResolvedValue(aBar());
  return services;
}

function renderGuest(services: Services, path = "/") {
  return render(
    <ServicesProvider services={services}>
      <MemoryRouter initialEntries={[path]}>
        <Routes>
          <Route element={<GuestLayout />}>
            <Route index element={<MenuPage />} />
            <Route path="orders" element={<OrdersPage />} />
          </Route>
          <Route path="/join" element={<p>Join page</p>} />
        </Routes>
      </MemoryRouter>
    </ServicesProvider>,
  );
}

/** The realtime service accepts the connection and the guest's subscription. */
async function goLive() {
  const socket = FakeSocket.instances[0]!;
  await act(async () => {
    socket.open();
    socket.serve({ type: "connection_ack", connectionTimeoutMs: 300000 });
    await flush();
  });
  const subscribe = [...socket.sent].filter((m) => m.type === "subscribe" && m.channel === "/orders/u1").at(-1)!;
  await act(async () => {
    socket.serve({ type: "subscribe_success", id: subscribe.id });
    await flush();
  });
  return (order: Order, eventId: string) =>
    act(async () => {
      socket.serve({
        type: "data",
        id: subscribe.id,
        event: JSON.stringify({ type: "ORDER_STATUS_CHANGED", version: 1, event_id: eventId, occurred_at: "", data: { order } }),
      });
      await flush();
    });
}

function setOnline(online: boolean) {
  vi.spyOn(navigator, "onLine", "get").mockReturnValue(online);
  window.dispatchEvent(new Event(online ? "online" : "offline"));
}

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

// 21:30 on the phone's own clock, whatever time zone the tests run in.
const HALF_NINE = new Date(2026, 11, 2, 21, 30).toISOString();
const PAUSED = aBar({ ordering: "paused", message: "Changing the kegs", reopens_at: HALF_NINE });

async function openDrink(name = "Negroni") {
  await userEvent.click(await screen.findByRole("button", { name }));
  return screen.getByRole("dialog", { name });
}

/** From the drink's detail to its order form (a dialog of its own). */
async function orderForm(name = "Negroni") {
  const detail = await openDrink(name);
  await userEvent.click(within(detail).getByRole("button", { name: "Order" }));
  return screen.getByRole("dialog", { name });
}

describe("the guest app", () => {
  it("takes the ready banner down once the drink is served", async () => {
    const services = signedIn();
    const preparing = anOrder({ status: "preparing" });
    services.api.orders.mine = vi.fn().mockResolvedValue({ orders: [preparing], complete: true });
    renderGuest(services, "/orders");
    const send = await goLive();
    await screen.findByRole("listitem", { name: "Negroni: preparing" });

    await send({ ...preparing, status: "ready", updated_at: "2026-11-22T20:05:00Z" }, "e1");
    expect(screen.getByRole("alert")).toHaveTextContent("Your Negroni is ready!");

    await send({ ...preparing, status: "served", updated_at: "2026-11-22T20:06:00Z" }, "e2");
    expect(screen.getByRole("listitem", { name: "Negroni: served" })).toBeInTheDocument();
    expect(screen.queryByRole("alert")).not.toBeInTheDocument();
  });

  it("shows the menu kept from last time while offline, and drops the banner by itself once back", async () => {
    const services = signedIn();
    const first = renderGuest(services);
    expect(await screen.findByRole("button", { name: "Negroni" })).toBeInTheDocument();
    first.unmount();

    // The phone reloads (or the guest comes back to the tab) without a network.
    setOnline(false);
    services.api.menu.drinks = vi.fn().mockRejectedValueOnce(unreachable()).mockResolvedValue([aDrink()]);
    renderGuest(services);
    expect(await screen.findByRole("alert")).toHaveTextContent("Can't reach the bar");
    expect(screen.getByRole("button", { name: "Negroni" })).toBeInTheDocument(); // not a blank page
    expect(screen.getByText("Offline")).toBeInTheDocument();

    act(() => setOnline(true));
    await waitFor(() => expect(screen.queryByRole("alert")).not.toBeInTheDocument());
    expect(services.api.menu.drinks).toHaveBeenCalledTimes(2);
  });

  it("keeps the guest's orders on the phone for the next time it opens offline", async () => {
    const services = signedIn();
    services.api.orders.mine = vi.fn().mockResolvedValue({ orders: [anOrder()], complete: true });
    const first = renderGuest(services, "/orders");
    await screen.findByRole("listitem", { name: "Negroni: pending" });
    first.unmount();
    expect(readCache<Order[]>(ordersCacheKey("u1"))).toHaveLength(1);

    services.api.orders.mine = vi.fn().mockRejectedValue(unreachable());
    renderGuest(services, "/orders");
    expect(screen.getByRole("listitem", { name: "Negroni: pending" })).toBeInTheDocument();
    expect(await screen.findByRole("alert")).toHaveTextContent("Can't reach the bar");
    expect(screen.getByRole("listitem", { name: "Negroni: pending" })).toBeInTheDocument();
  });

  it("sends a failed order again by itself, with the same Idempotency-Key, keeping it on the phone until placed", async () => {
    const services = signedIn();
    let answer!: (order: Order) => void;
    const place = vi
      .spyOn(services.api.orders, "place")
      .mockRejectedValueOnce(new ApiError(503, "service_unavailable", "The bar is busy for a moment."))
      .mockReturnValueOnce(new Promise<Order>((resolve) => (answer = resolve)));
    renderGuest(services);
    await userEvent.click(await screen.findByRole("button", { name: "Negroni" }));
    await userEvent.click(screen.getByRole("button", { name: "Order" }));
    await userEvent.click(screen.getByRole("button", { name: "Place order" }));

    const dialog = screen.getByRole("dialog");
    expect(
      await within(dialog).findByText("The bar is busy for a moment. Your order will be sent again in a moment…"),
    ).toBeInTheDocument();
    expect(within(dialog).getByRole("button", { name: "Trying again…" })).toBeDisabled();
    // a reload now would send it again: drink, quantity, notes and the very same key
    expect(readPending("u1")).toMatchObject({ drink_id: "d1", drink_name: "Negroni", quantity: 1, key: place.mock.calls[0]![3] });
    act(() => window.dispatchEvent(new Event("online"))); // the wait ends early when the network is back
    await waitFor(() => expect(place).toHaveBeenCalledTimes(2));
    await act(async () => answer(anOrder()));

    expect(await within(dialog).findByText(/Ordered 1 × Negroni/)).toBeInTheDocument();
    expect(place).toHaveBeenCalledTimes(2);
    const [first, second] = place.mock.calls;
    expect(second![3]).toBe(first![3]);
    expect(readPending("u1")).toBeNull();
  });

  it("asks before signing out with open orders, says they stay behind, and forgets them on this phone", async () => {
    const services = signedIn();
    rememberConversation("u1", "c1");
    saveDiet(["vegan"]);
    const logout = vi.spyOn(globalThis, "fetch").mockResolvedValue(new Response(null, { status: 204 }));
    services.api.orders.mine = vi.fn().mockResolvedValue({
      orders: [anOrder({ id: "a", status: "ready" }), anOrder({ id: "b", drink_name: "Mojito", status: "served" })],
      complete: true,
    });
    renderGuest(services, "/orders");
    await screen.findByRole("listitem", { name: "Negroni: ready" });

    await userEvent.click(screen.getByRole("button", { name: "Sign out" }));
    const dialog = screen.getByRole("dialog", { name: "Sign out with an open order?" });
    expect(dialog).toHaveTextContent("Negroni — ready at the bar");
    expect(dialog).not.toHaveTextContent("Mojito"); // served: nothing left to lose
    expect(dialog).toHaveTextContent("joining again makes you a new guest who can't see it");
    expect(dialog).toHaveTextContent("Pick it up at the bar as Rosa");
    expect(dialog).not.toHaveTextContent("stay with the bar");

    await userEvent.click(within(dialog).getByRole("button", { name: "Stay signed in" }));
    expect(services.guest.signedIn).toBe(true);

    await userEvent.click(screen.getByRole("button", { name: "Sign out" }));
    await userEvent.click(within(screen.getByRole("dialog")).getByRole("button", { name: "Sign out anyway" }));
    expect(await screen.findByText("Join page")).toBeInTheDocument();
    expect(services.guest.signedIn).toBe(false);
    expect(readCache(ordersCacheKey("u1"))).toBeUndefined();
    expect(recallConversation("u1")).toBeNull(); // nor the chat with the bartender, nor the diet
    expect(loadDiet()).toEqual([]);
    expect(logout.mock.calls[0]![0]).toBe("/api/identity/logout");
  });

  it("shows a paused bar's message and time, disables ordering with the reason, and opens again on the next read", async () => {
    const services = signedIn();
    services.api.bar = vi.fn().mockResolvedValueOnce(PAUSED).mockResolvedValue(aBar());
    renderGuest(services);

    const banner = await screen.findByRole("status", { name: "Ordering is paused" });
    expect(banner).toHaveTextContent("Changing the kegs");
    expect(banner).toHaveTextContent("Ordering reopens at 21:30");
    const dialog = await openDrink();
    const order = within(dialog).getByRole("button", { name: "Order" });
    expect(order).toBeDisabled();
    expect(order).toHaveAccessibleDescription("Ordering is paused until 21:30.");

    act(() => window.dispatchEvent(new Event("online"))); // back online: read the bar again
    await waitFor(() => expect(within(dialog).getByRole("button", { name: "Order" })).toBeEnabled());
    expect(screen.queryByRole("status", { name: "Ordering is paused" })).not.toBeInTheDocument();
  });

  it("reads the bar again every 20 seconds", async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    const services = signedIn();
    services.api.bar = vi.fn().mockResolvedValueOnce(aBar()).mockResolvedValue(aBar({ ordering: "last_call", message: "Ten minutes" }));
    renderGuest(services);
    await screen.findByRole("button", { name: "Negroni" });
    expect(screen.queryByRole("status", { name: "Last call" })).not.toBeInTheDocument();

    await act(async () => vi.advanceTimersByTime(BAR_POLL_MS));
    expect(await screen.findByRole("status", { name: "Last call" })).toHaveTextContent("Ten minutes");
    expect(services.api.bar).toHaveBeenCalledTimes(2);
  });

  it("still takes orders at last call", async () => {
    const services = signedIn();
    services.api.bar = vi.fn().mockResolvedValue(aBar({ ordering: "last_call" }));
    vi.spyOn(services.api.orders, "place").mockResolvedValue(anOrder({ number: 7 }));
    renderGuest(services);
    expect(await screen.findByRole("status", { name: "Last call" })).toBeInTheDocument();
    const dialog = await orderForm();
    await userEvent.click(within(dialog).getByRole("button", { name: "Place order" }));
    expect(await within(dialog).findByRole("status")).toHaveTextContent("Ordered 1 × Negroni, number #7.");
  });

  it("says plainly when a tap meets a pause, and reads the bar again", async () => {
    const services = signedIn();
    services.api.bar = vi.fn().mockResolvedValueOnce(aBar()).mockResolvedValue(PAUSED);
    vi.spyOn(services.api.orders, "place").mockRejectedValue(
      new ApiError(409, "ordering_paused", "The bar has paused ordering: Changing the kegs. It reopens at 2026-12-02T20:30:00Z"),
    );
    renderGuest(services);
    const dialog = await orderForm();
    await userEvent.click(within(dialog).getByRole("button", { name: "Place order" }));

    expect(await within(dialog).findByRole("alert")).toHaveTextContent(
      "The bar has paused ordering. Changing the kegs. Ordering reopens at 21:30.",
    );
    expect(within(dialog).getByRole("button", { name: "Place order" })).toBeDisabled();
    expect(await screen.findByRole("status", { name: "Ordering is paused" })).toBeInTheDocument();
    expect(readPending("u1")).toBeNull(); // an answer: nothing left to send
  });

  it("keeps a sold-out drink on the menu, marked, and does not offer to order it", async () => {
    const services = signedIn();
    services.api.menu.drinks = vi.fn().mockResolvedValue([aDrink({ sold_out: true }), aDrink({ id: "d2", name: "Mojito" })]);
    renderGuest(services);
    const card = (await screen.findByRole("button", { name: "Negroni" })).closest("article")!;
    expect(card).toHaveTextContent("Sold out");
    expect((await screen.findByRole("button", { name: "Mojito" })).closest("article")).not.toHaveTextContent("Sold out");

    const dialog = await openDrink();
    expect(within(dialog).queryByRole("button", { name: "Order" })).not.toBeInTheDocument();
    expect(within(dialog).getByRole("button", { name: "Sold out" })).toBeDisabled();
  });

  it("says so when the drink sold out under the tap, and reads the menu again", async () => {
    const services = signedIn();
    services.api.menu.drinks = vi.fn().mockResolvedValueOnce([aDrink()]).mockResolvedValue([aDrink({ sold_out: true })]);
    vi.spyOn(services.api.orders, "place").mockRejectedValue(new ApiError(409, "sold_out", "Negroni is sold out for now"));
    renderGuest(services);
    const dialog = await orderForm();
    await userEvent.click(within(dialog).getByRole("button", { name: "Place order" }));

    expect(await within(dialog).findByRole("alert")).toHaveTextContent("Sorry, the Negroni has just sold out.");
    await waitFor(() => expect(services.api.menu.drinks).toHaveBeenCalledTimes(2));
    await waitFor(() => expect(within(dialog).getByRole("button", { name: "Place order" })).toBeDisabled());
    expect(screen.getByRole("button", { name: "Negroni" }).closest("article")).toHaveTextContent("Sold out");
  });

  it("shows the order's number on its card, in the ready banner and in the notification", async () => {
    const services = signedIn();
    const shown = vi.fn();
    vi.stubGlobal("Notification", Object.assign(shown, { permission: "granted" }));
    const preparing = anOrder({ status: "preparing", number: 41 });
    services.api.orders.mine = vi.fn().mockResolvedValue({
      orders: [preparing, anOrder({ id: "old", drink_name: "Mojito", status: "served", number: null })],
      complete: true,
    });
    renderGuest(services, "/orders");
    const send = await goLive();
    expect(await screen.findByRole("listitem", { name: "Negroni: preparing" })).toHaveTextContent("#41");
    expect(screen.getByRole("listitem", { name: "Mojito: served" })).not.toHaveTextContent("#");

    await send({ ...preparing, status: "ready", updated_at: "2026-11-22T20:05:00Z" }, "e1");
    expect(screen.getByRole("alert")).toHaveTextContent("#41Your Negroni is ready!");
    expect(shown).toHaveBeenCalledWith("#41 · Your Negroni is ready", expect.objectContaining({ tag: "o1" }));
    vi.unstubAllGlobals();
  });

  it("sends a tap the page was reloaded under again, with its key, and says it was placed", async () => {
    const services = signedIn();
    const pending: PendingOrder = { drink_id: "d1", drink_name: "Negroni", quantity: 2, notes: "no ice", key: "k-1", saved_at: Date.now() - 60_000 };
    savePending("u1", pending);
    const place = vi.spyOn(services.api.orders, "place").mockResolvedValue(anOrder({ quantity: 2, number: 12 }));
    renderGuest(services, "/orders");

    expect(await screen.findByText("Ordered 2 × Negroni (#12). We'll let you know the moment it's ready.")).toBeInTheDocument();
    expect(place).toHaveBeenCalledExactlyOnceWith("d1", 2, "no ice", "k-1");
    expect(readPending("u1")).toBeNull();
    expect(await screen.findByRole("listitem", { name: "Negroni: pending" })).toBeInTheDocument();
  });

  it("drops a reloaded tap that the bar refuses, or that is too old to send", async () => {
    const services = signedIn();
    const place = vi.spyOn(services.api.orders, "place").mockRejectedValue(new ApiError(409, "sold_out", "Negroni is sold out for now"));
    savePending("u1", { drink_id: "d1", drink_name: "Negroni", quantity: 1, notes: "", key: "k-1", saved_at: Date.now() });
    const first = renderGuest(services);
    expect(await screen.findByText(/Your order for 1 × Negroni wasn't placed. Sorry, the Negroni has just sold out./)).toBeInTheDocument();
    expect(readPending("u1")).toBeNull();
    first.unmount();

    place.mockClear();
    savePending("u1", { drink_id: "d1", drink_name: "Negroni", quantity: 1, notes: "", key: "k-2", saved_at: Date.now() - PENDING_MAX_AGE_MS - 1 });
    renderGuest(services);
    await screen.findByRole("button", { name: "Negroni" });
    expect(place).not.toHaveBeenCalled();
    expect(screen.queryByText(/Sending your order/)).not.toBeInTheDocument();
  });

  it("gives up on a reloaded tap that can't reach the bar before it is too old, and says so", async () => {
    const services = signedIn();
    vi.spyOn(services.api.orders, "place").mockRejectedValue(unreachable());
    savePending("u1", { drink_id: "d1", drink_name: "Negroni", quantity: 1, notes: "", key: "k-1", saved_at: Date.now() - PENDING_MAX_AGE_MS + 300 });
    renderGuest(services);
    expect(await screen.findByText(/will be sent again in a moment/)).toBeInTheDocument();
    expect(await screen.findByText(/It couldn't reach the bar in time/)).toBeInTheDocument();
    expect(readPending("u1")).toBeNull();
  });

  it("lets the guest stop a reloaded tap from being sent", async () => {
    const services = signedIn();
    vi.spyOn(services.api.orders, "place").mockRejectedValue(unreachable());
    savePending("u1", { drink_id: "d1", drink_name: "Negroni", quantity: 1, notes: "", key: "k-1", saved_at: Date.now() });
    renderGuest(services);
    await screen.findByText(/will be sent again in a moment/);
    await userEvent.click(screen.getByRole("button", { name: "Don't send it" }));
    await waitFor(() => expect(screen.queryByText(/Negroni will be sent again/)).not.toBeInTheDocument());
    expect(readPending("u1")).toBeNull();
  });
});
