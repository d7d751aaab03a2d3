// Reading a paged list (ADR 0021): follow `next_cursor` until it is null, up to a cap, and say
// whether the list is complete, so a screen never shows part of a list as if it were all of it.

import type { OrderListing, OrderPage } from "./types";

/** 20 pages: 4,000 tickets on the kitchen display, 1,000 orders in a guest's list. */
export const MAX_PAGES = 20;

export async function readAllPages(
  readPage: (cursor: string | null) => Promise<OrderPage>,
  maxPages = MAX_PAGES,
): Promise<OrderListing> {
  const orders = [];
  let cursor: string | null = null;
  for (let page = 0; page < maxPages; page++) {
    const read: OrderPage = await readPage(cursor);
    orders.push(...read.orders);
    if (read.next_cursor === null) return { orders, complete: true };
    cursor = read.next_cursor;
  }
  return { orders, complete: false };
}
