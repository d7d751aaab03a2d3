import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { fakeServices, renderAt } from "../test/fakeServices";
import { anOrder } from "../test/fixtures";
import { KitchenPage } from "./KitchenPage";

const queue = [anOrder({ id: "a", drink_name: "Negroni" }), anOrder({ id: "b", drink_name: "Mojito", status: "ready" })];

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
