import { barkeepApi } from "./barkeep";
import type { TokenSource } from "./http";
import { readAllPages } from "./pages";
import type { OrderPage } from "./types";
import { CONFIG } from "../test/fakeServices";
import { anOrder } from "../test/fixtures";

const json = (body: unknown) => new Response(JSON.stringify(body), { status: 200 });
const signedIn: TokenSource = { token: async () => "t", renew: async () => null };

afterEach(() => vi.restoreAllMocks());

/** A server's list of `total` orders, `size` a page, cursors "c1", "c2", … */
function pages(total: number, size: number) {
  return vi.fn(async (cursor: string | null): Promise<OrderPage> => {
    const start = cursor ? Number(cursor.slice(1)) * size : 0;
    const orders = Array.from({ length: Math.min(size, total - start) }, (_, i) => anOrder({ id: `o${start + i}` }));
    const next = start + size < total ? `c${start / size + 1}` : null;
    return { orders, next_cursor: next };
  });
}

describe("readAllPages", () => {
  it("follows next_cursor until it is null", async () => {
    const read = pages(5, 2);
    const listing = await readAllPages(read);
    expect(listing.complete).toBe(true);
    expect(listing.orders.map((o) => o.id)).toEqual(["o0", "o1", "o2", "o3", "o4"]);
    expect(read.mock.calls.map(([cursor]) => cursor)).toEqual([null, "c1", "c2"]);
  });

  it("stops at the cap and says the list is not complete", async () => {
    const read = pages(10, 2);
    const listing = await readAllPages(read, 3);
    expect(listing).toMatchObject({ complete: false });
    expect(listing.orders).toHaveLength(6);
    expect(read).toHaveBeenCalledTimes(3);
  });
});

it("reads the queue page by page, sending each next_cursor back as cursor", async () => {
  const fetch = vi
    .spyOn(globalThis, "fetch")
    .mockResolvedValueOnce(json({ orders: [anOrder({ id: "a" })], next_cursor: "abc_-" }))
    .mockResolvedValueOnce(json({ orders: [anOrder({ id: "b" })], next_cursor: null }));
  const api = barkeepApi(CONFIG, signedIn, signedIn);

  const listing = await api.ordersAdmin.queue();

  expect(listing).toEqual({ orders: [anOrder({ id: "a" }), anOrder({ id: "b" })], complete: true });
  expect(fetch.mock.calls.map(([url]) => url)).toEqual(["/api/orders/admin/orders", "/api/orders/admin/orders?cursor=abc_-"]);
});
