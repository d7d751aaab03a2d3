// The menu's search and filters, applied to the drinks already loaded (instant on a phone).

import type { Drink, Section, Unit } from "../api/types";
import { translate, type Translator } from "../i18n";

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

/** How much of an ingredient, as a recipe says it: "1.5 cl" ("1,5 cl" in Swedish), "2 dashes",
 * "4" (basil leaves: a piece is counted, not named), "Top with" (soda water); "" for a pinch. */
export function amountText(amount: number | null, unit: Unit | null, tr: Translator = translate()): string {
  if (unit === "top") return tr.t("amount.top");
  if (amount === null) return "";
  if (unit === null || unit === "piece") return tr.format.number(amount);
  return tr.t(`amount.${unit}`, { count: amount });
}
