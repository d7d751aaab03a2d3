// The menu's search and filters, applied to the drinks already loaded (instant on a phone).

import type { Drink, Section } from "../api/types";

export interface MenuFilter {
  q: string;
  tag: string | null;
  ingredient: string | null;
}

export const NO_FILTER: MenuFilter = { q: "", tag: null, ingredient: null };

const fold = (text: string) => text.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase().trim();

export function matches(drink: Drink, filter: MenuFilter): boolean {
  if (filter.tag && !drink.tags.some((t) => fold(t) === fold(filter.tag!))) return false;
  if (filter.ingredient && !drink.ingredients.some((i) => fold(i.name) === fold(filter.ingredient!))) return false;
  const q = fold(filter.q);
  if (!q) return true;
  const haystack = fold([drink.name, drink.description, ...drink.tags, ...drink.ingredients.map((i) => i.name)].join(" "));
  return q.split(/\s+/).every((word) => haystack.includes(word));
}

/** Every distinct value, most common first, for the filter choices. */
export function facets(drinks: Drink[], pick: (drink: Drink) => string[]): string[] {
  const counts = new Map<string, { label: string; n: number }>();
  for (const drink of drinks) {
    for (const value of new Set(pick(drink).map((v) => v.trim()).filter(Boolean))) {
      const key = fold(value);
      const entry = counts.get(key) ?? { label: value, n: 0 };
      entry.n += 1;
      counts.set(key, entry);
    }
  }
  return [...counts.values()].sort((a, b) => b.n - a.n || a.label.localeCompare(b.label)).map((e) => e.label);
}

export function bySection(sections: Section[], drinks: Drink[]): { section: Section; drinks: Drink[] }[] {
  return [...sections]
    .sort((a, b) => a.display_order - b.display_order)
    .map((section) => ({
      section,
      drinks: drinks.filter((d) => d.section_id === section.id).sort((a, b) => a.name.localeCompare(b.name)),
    }))
    .filter((group) => group.drinks.length > 0);
}

/** "1.5 cl" (or "1,5 cl": `number` formats the amount for the locale). */
export function amountText(amount: number | null, unit: string | null, number: (value: number) => string = String): string {
  return [amount === null ? "" : number(amount), unit ?? ""].join(" ").trim();
}
