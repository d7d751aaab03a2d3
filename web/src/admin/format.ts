// Small formatting rules of the admin screens.

import type { Guest, OrderStatus, Stats } from "../api/types";
import { OPEN_STATUSES } from "../api/types";

/** "4m 12s", "38s", "1h 05m"; "—" when there is nothing to average yet. */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds) || seconds < 0) return "—";
  const total = Math.round(seconds);
  if (total < 60) return `${total}s`;
  if (total < 3600) return `${Math.floor(total / 60)}m ${total % 60}s`;
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  return `${hours}h ${String(minutes).padStart(2, "0")}m`;
}

/** Orders somebody is still waiting for. */
export function openCount(byStatus: Stats["by_status"]): number {
  return OPEN_STATUSES.reduce((sum, status: OrderStatus) => sum + (byStatus[status] ?? 0), 0);
}

export function filterGuests(guests: Guest[], query: string): Guest[] {
  const needle = query.trim().toLocaleLowerCase();
  const sorted = [...guests].sort((a, b) => Date.parse(b.created_at) - Date.parse(a.created_at));
  return needle ? sorted.filter((guest) => guest.username.toLocaleLowerCase().includes(needle)) : sorted;
}
