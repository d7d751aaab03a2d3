import { screen, within } from "@testing-library/react";
import { fakeServices, renderAt } from "../test/fakeServices";
import { aBar, anOrder } from "../test/fixtures";
import { BoardPage } from "./BoardPage";

it("calls out ready orders by number and name, with nothing to press", async () => {
  const services = fakeServices();
  services.api.ordersAdmin.queue = vi.fn().mockResolvedValue({
    orders: [
      anOrder({ id: "r", number: 41, status: "ready", drink_name: "Negroni" }),
      anOrder({ id: "p", number: 42, username: "Bo", drink_name: "Mojito" }),
      anOrder({ id: "s", number: 40, status: "served" }),
    ],
    complete: true,
  });
  services.api.bar = vi.fn().mockResolvedValue(aBar({ ordering: "last_call", message: "Last orders, please" }));
  renderAt("/admin/board", <BoardPage />, services);

  const ready = await screen.findByRole("list", { name: "Ready" });
  expect(await within(ready).findByRole("listitem")).toHaveAccessibleName("Ready: #41 Ana – Negroni");
  expect(within(ready).getAllByRole("listitem")).toHaveLength(1);
  expect(screen.getByRole("region", { name: "Coming up" })).toHaveTextContent("#42 Bo");
  expect(await screen.findByText("Last orders, please")).toBeInTheDocument();
  expect(screen.queryByRole("button")).not.toBeInTheDocument();
});
