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
import { aDrink, anOrder } from "../test/fixtures";
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

afterEach(() => vi.restoreAllMocks());

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

  it("sends a failed order again by itself, with the same Idempotency-Key, and places it once", async () => {
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
    act(() => window.dispatchEvent(new Event("online"))); // the wait ends early when the network is back
    await waitFor(() => expect(place).toHaveBeenCalledTimes(2));
    await act(async () => answer(anOrder()));

    expect(await within(dialog).findByText(/Ordered 1 × Negroni/)).toBeInTheDocument();
    expect(place).toHaveBeenCalledTimes(2);
    const [first, second] = place.mock.calls;
    expect(second![3]).toBe(first![3]);
  });

  it("asks before signing out with open orders, says they stay behind, and forgets them on this phone", async () => {
    const services = signedIn();
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
    expect(logout.mock.calls[0]![0]).toBe("/api/identity/logout");
  });
});
