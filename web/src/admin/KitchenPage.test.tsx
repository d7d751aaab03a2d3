import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import type { BarSettings, Order, OrderStatus } from "../api/types";
import { fakeServices, renderAt } from "../test/fakeServices";
import { aBar, anOrder } from "../test/fixtures";
import { KitchenPage } from "./KitchenPage";

const queue = [anOrder({ id: "a", drink_name: "Negroni" }), anOrder({ id: "b", drink_name: "Mojito", status: "ready" })];

const BAR = aBar();

/** A kitchen with `orders` in the queue, whose moves the server accepts. */
function kitchen(orders: Order[], bar: BarSettings = BAR) {
  const services = fakeServices();
  services.api.ordersAdmin.queue = vi.fn().mockResolvedValue({ orders, complete: true });
  services.api.bar = vi.fn().mockResolvedValue(bar);
  services.api.updateBar = vi.fn().mockImplementation(async (patch) => ({ ...bar, ...patch, updated_at: new Date().toISOString() }));
  services.api.ordersAdmin.move = vi.fn().mockImplementation(async (id: string, status: OrderStatus) => {
    const order = orders.find((o) => o.id === id)!;
    const at = new Date().toISOString();
    return { ...order, status, updated_at: at, completed_at: status === "served" ? at : null };
  });
  renderAt("/admin/orders", <KitchenPage />, services);
  return services;
}

const focusedName = () => document.activeElement?.getAttribute("aria-label") ?? "";

it("says when the queue is longer than it could read", async () => {
  const services = fakeServices();
  services.api.ordersAdmin.queue = vi.fn().mockResolvedValue({ orders: queue, complete: false });
  renderAt("/admin/orders", <KitchenPage />, services);

  expect(await screen.findByRole("alert")).toHaveTextContent("only the oldest 2 orders are shown");
  expect(screen.getAllByRole("article")).toHaveLength(2);
});

it("closes out the night after asking, and says how many it closed", async () => {
  const services = fakeServices();
  services.api.ordersAdmin.queue = vi
    .fn()
    .mockResolvedValueOnce({ orders: queue, complete: true })
    .mockResolvedValue({ orders: [], complete: true });
  services.api.ordersAdmin.closeOut = vi.fn().mockResolvedValue({ closed: 2, complete: true });
  renderAt("/admin/orders", <KitchenPage />, services);
  await screen.findByRole("article", { name: /Negroni/ });

  await userEvent.click(screen.getByRole("button", { name: "End of night: close out" }));
  const dialog = screen.getByRole("dialog", { name: "Close out the night?" });
  expect(services.api.ordersAdmin.closeOut).not.toHaveBeenCalled();
  await userEvent.click(within(dialog).getByRole("button", { name: "Close out" }));

  expect(await screen.findByRole("status")).toHaveTextContent("Closed out 2 orders.");
  expect(screen.queryByRole("dialog")).not.toBeInTheDocument();
  await waitFor(() => expect(screen.queryAllByRole("article")).toHaveLength(0));
});

it("keeps the dialog open with the reason when the close-out fails", async () => {
  const services = fakeServices();
  services.api.ordersAdmin.queue = vi.fn().mockResolvedValue({ orders: queue, complete: true });
  services.api.ordersAdmin.closeOut = vi.fn().mockRejectedValue(new Error("Can't reach the bar right now."));
  renderAt("/admin/orders", <KitchenPage />, services);
  await screen.findByRole("article", { name: /Negroni/ });

  await userEvent.click(screen.getByRole("button", { name: "End of night: close out" }));
  await userEvent.click(within(screen.getByRole("dialog")).getByRole("button", { name: "Close out" }));

  expect(await within(screen.getByRole("dialog")).findByText(/Can't reach the bar/)).toBeInTheDocument();
  expect(screen.queryByRole("status")).not.toBeInTheDocument();
});

describe("the keyboard", () => {
  const two = [anOrder({ id: "a", drink_name: "Negroni", number: 41 }), anOrder({ id: "b", drink_name: "Mojito", number: 42 })];

  it("selects by position, bumps with Enter and keeps the focus on the board", async () => {
    const services = kitchen(two);
    await screen.findByRole("article", { name: /Mojito/ });

    await userEvent.keyboard("2");
    expect(screen.getByRole("article", { name: /Mojito/ })).toHaveAttribute("aria-current", "true");
    expect(focusedName()).toMatch(/^#42 1 × Mojito for Ana/);
    await userEvent.keyboard("{Enter}");

    expect(services.api.ordersAdmin.move).toHaveBeenCalledWith("b", "preparing");
    const preparing = screen.getByRole("region", { name: /^Preparing/ });
    expect(await within(preparing).findByRole("article", { name: /Mojito/ })).toBeInTheDocument();
    // The bumped ticket left its column: the next one there has the selection and the focus.
    await waitFor(() => expect(focusedName()).toMatch(/Negroni/));
  });

  it("bumps the next ticket when Enter is pressed again before the first move is back", async () => {
    const services = kitchen(two);
    let answer!: () => void;
    const first = new Promise<void>((resolve) => (answer = resolve));
    const move = vi.mocked(services.api.ordersAdmin.move);
    const accept = move.getMockImplementation()!;
    move.mockImplementationOnce(async (id, status) => {
      await first;
      return accept(id, status);
    });
    await screen.findByRole("article", { name: /Negroni/ });

    await userEvent.keyboard("1{Enter}{Enter}");
    answer();

    await waitFor(() => expect(move.mock.calls).toEqual([["a", "preparing"], ["b", "preparing"]]));
  });

  it("asks before Delete cancels, and Escape keeps the order", async () => {
    const services = kitchen(two);
    await screen.findByRole("article", { name: /Negroni/ });

    await userEvent.keyboard("{ArrowDown}{Delete}");
    const dialog = screen.getByRole("dialog", { name: "Cancel this order?" });
    expect(dialog).toHaveTextContent("Negroni for Ana");
    await userEvent.keyboard("{Escape}");

    expect(screen.queryByRole("dialog")).not.toBeInTheDocument();
    expect(services.api.ordersAdmin.move).not.toHaveBeenCalled();
    await waitFor(() => expect(focusedName()).toMatch(/Negroni/));
  });

  it("serves, then U recalls the serve and N takes it back to preparing", async () => {
    const services = kitchen([anOrder({ id: "r", drink_name: "Paloma", status: "ready", number: 7 })]);
    await screen.findByRole("article", { name: /Paloma/ });

    await userEvent.keyboard("{ArrowRight}{ArrowRight}{Enter}");
    await waitFor(() => expect(screen.queryByRole("article")).not.toBeInTheDocument());
    expect(screen.getByRole("button", { name: "Undo serve: #7 Ana – Paloma" })).toBeInTheDocument();
    await userEvent.keyboard("u");
    expect(await screen.findByRole("article", { name: /Paloma/ })).toBeInTheDocument();
    await userEvent.keyboard("n");

    expect(vi.mocked(services.api.ordersAdmin.move).mock.calls).toEqual([
      ["r", "served"],
      ["r", "ready"],
      ["r", "preparing"],
    ]);
  });

  it("selects a ticket that is clicked, so the next key acts on it", async () => {
    const services = kitchen(two);
    await userEvent.click(await screen.findByRole("heading", { name: "Mojito" }));

    expect(screen.getByRole("article", { name: /Mojito/ })).toHaveAttribute("aria-current", "true");
    await userEvent.keyboard("{Enter}");
    expect(services.api.ordersAdmin.move).toHaveBeenCalledWith("b", "preparing");
  });

  it("leaves keys typed into a field alone", async () => {
    const services = kitchen(two);
    await screen.findByRole("article", { name: /Negroni/ });

    await userEvent.type(screen.getByLabelText("Message for guests"), "1{Enter}");

    expect(screen.queryByRole("article", { current: true })).not.toBeInTheDocument();
    expect(services.api.ordersAdmin.move).not.toHaveBeenCalled();
  });
});

describe("all-day counts and batches", () => {
  const mojitos = [
    anOrder({ id: "m1", drink_id: "mojito", drink_name: "Mojito", quantity: 2 }),
    anOrder({ id: "m2", drink_id: "mojito", drink_name: "Mojito" }),
    anOrder({ id: "m3", drink_id: "mojito", drink_name: "Mojito", username: "Bo", number: 12 }),
  ];

  it("counts drinks, and says which orders of a batch did not move", async () => {
    const services = kitchen(mojitos);
    services.api.batchOrders = vi.fn().mockResolvedValue({
      orders: mojitos.slice(0, 2).map((o) => ({ ...o, status: "preparing", updated_at: "2026-11-22T20:01:00Z" })),
      failed: [{ id: "m3", error: { code: "invalid_transition", message: "Order is already cancelled" } }],
    });
    const allDay = await screen.findByRole("region", { name: "All day" });
    expect(within(allDay).getByRole("listitem", { name: "Mojito ×4" })).toHaveTextContent("4 new · 0 making · 0 ready");

    await userEvent.click(within(allDay).getByRole("button", { name: "Start all 4 Mojito" }));

    expect(services.api.batchOrders).toHaveBeenCalledWith(["m1", "m2", "m3"], "preparing");
    expect(await screen.findByRole("alert")).toHaveTextContent(
      "2 of 3 Mojito orders moved; these did not: #12 Bo – Mojito: Order is already cancelled",
    );
  });

  it("batches the selected ticket's drink with B", async () => {
    const services = kitchen(mojitos);
    services.api.batchOrders = vi.fn().mockResolvedValue({ orders: [], failed: [] });
    await screen.findByRole("region", { name: "All day" });

    await userEvent.keyboard("3b");

    expect(services.api.batchOrders).toHaveBeenCalledWith(["m1", "m2", "m3"], "preparing");
  });
});

describe("the bar's settings", () => {
  it("colours tickets by the bar's wait settings and saves new ones for the whole bar", async () => {
    const threeMinutesAgo = new Date(Date.now() - 180_000).toISOString();
    const services = kitchen([anOrder({ created_at: threeMinutesAgo })], { ...BAR, wait_warn_seconds: 120, wait_late_seconds: 240 });
    await waitFor(() => expect(screen.getByRole("article")).toHaveClass("wait-warn"));

    await userEvent.click(screen.getByText("Wait colours"));
    await userEvent.clear(screen.getByLabelText("Amber after (minutes)"));
    await userEvent.type(screen.getByLabelText("Amber after (minutes)"), "4");
    await userEvent.clear(screen.getByLabelText("Red after (minutes)"));
    await userEvent.type(screen.getByLabelText("Red after (minutes)"), "8");
    await userEvent.click(screen.getByRole("button", { name: "Save colours" }));

    expect(services.api.updateBar).toHaveBeenCalledWith({ wait_warn_seconds: 240, wait_late_seconds: 480 });
    await waitFor(() => expect(screen.getByRole("article")).toHaveClass("wait-ok"));
  });

  it("pauses ordering with a message, and shows the bar's state", async () => {
    const services = kitchen(queue);
    expect(await screen.findByText("Ordering open")).toBeInTheDocument();

    await userEvent.click(screen.getByText("Ordering open"));
    await userEvent.type(screen.getByLabelText("Message for guests"), "Back in ten");
    await userEvent.click(screen.getByRole("button", { name: "Pause ordering" }));

    expect(services.api.updateBar).toHaveBeenCalledWith({ ordering: "paused", message: "Back in ten", reopens_at: null });
    expect(await screen.findByText("Ordering paused")).toBeInTheDocument();
  });
});
