import { screen, within } from "@testing-library/react";
import type { Stats } from "../api/types";
import { fakeServices, renderAt } from "../test/fakeServices";
import { DashboardPage } from "./DashboardPage";

const STATS: Stats = {
  total: 120,
  today: 42,
  by_status: { pending: 3, preparing: 2, ready: 1, served: 110, cancelled: 4 },
  by_drink: [
    { drink_id: "d1", drink_name: "Negroni", count: 30 },
    { drink_id: "d2", drink_name: "Mojito", count: 12 },
  ],
  avg_seconds_to_ready: 252.4,
  per_hour: [{ hour: new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000).toISOString(), count: 9 }],
  recent: [],
};

it("shows the day's numbers as tiles and the charts as labelled figures", async () => {
  const services = fakeServices();
  services.api.ordersAdmin.stats = vi.fn().mockResolvedValue(STATS);
  renderAt("/admin", <DashboardPage />, services);

  const tile = (label: string) => within(screen.getByText(label).parentElement!).getByText(/./, { selector: ".value" });
  expect(await screen.findByText("Orders today")).toBeInTheDocument();
  expect(tile("Orders today")).toHaveTextContent("42");
  expect(tile("Open now")).toHaveTextContent("6");
  expect(tile("Avg time to ready")).toHaveTextContent("4m 12s");

  expect(screen.getByRole("img", { name: "Orders by drink: Negroni 30, Mojito 12." })).toBeInTheDocument();
  expect(screen.getByRole("img", { name: /9 orders in total/ })).toBeInTheDocument();
  expect(screen.getByRole("figure", { name: "By status" })).toBeInTheDocument();
  expect(screen.getByText("No orders yet.")).toBeInTheDocument();
});
