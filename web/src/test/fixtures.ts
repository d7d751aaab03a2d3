// API objects for tests: valid by default, each test overrides only what it is about.

import type { BarSettings, Drink, Order } from "../api/types";

export function anOrder(over: Partial<Order> = {}): Order {
  return {
    id: "o1",
    user_key: "u1",
    username: "Ana",
    drink_id: "d1",
    drink_name: "Negroni",
    quantity: 1,
    notes: null,
    status: "pending",
    created_at: "2026-11-22T20:00:00Z",
    updated_at: "2026-11-22T20:00:00Z",
    ready_at: null,
    completed_at: null,
    ...over,
  };
}

export function aDrink(over: Partial<Drink> = {}): Drink {
  return {
    id: "d1",
    section_id: "s1",
    name: "Negroni",
    description: "",
    ingredients: [{ name: "Gin", amount: 3, unit: "cl" }],
    recipe_steps: [],
    tags: [],
    image_url: null,
    is_active: true,
    created_at: "2026-01-01T20:00:00Z",
    updated_at: "2026-01-01T20:00:00Z",
    ...over,
  };
}

export function aBar(over: Partial<BarSettings> = {}): BarSettings {
  return {
    ordering: "open",
    message: "",
    reopens_at: null,
    wait_warn_seconds: 300,
    wait_late_seconds: 600,
    updated_at: null,
    ...over,
  };
}
