// The menu's diet filter and a drink's diet and allergen chips, from the facts the menu service
// derives from its ingredients. The same rule as `GET {menu}/drinks?suitable_for=`: a drink
// matches only if every chosen value is in its `suitable_for`; a drink without facts (an older
// server) or with an unknown ingredient (`suitable_for: []`) matches no diet at all.

import { SUITABLE_FOR, type Drink, type SuitableFor } from "../api/types";
import { DIET_CACHE, readCache, writeCache } from "../app/cache";
import { translate, type Translator } from "../i18n";

/** "Vegan", "Nut-free", in the current language. */
export function dietLabel(value: SuitableFor, tr: Translator = translate()): string {
  return tr.t(`diet.${value}`);
}

/** The fact tags a guest with an allergy looks for, in the order they are named. */
const ALLERGENS = ["egg", "nuts", "dairy", "gluten"] as const;

export function matchesDiet(drink: Drink, chosen: readonly SuitableFor[]): boolean {
  if (chosen.length === 0) return true;
  const suitable = drink.facts?.suitable_for ?? [];
  return chosen.every((value) => suitable.includes(value));
}

export interface DietChips {
  /** The diets people look for first ("Vegan" or else "Vegetarian", "Alcohol-free",
   * "Gluten-free"); the free-of-an-allergen ones read from `contains`, so a card is not a
   * wall of eight chips. The filter still offers all eight. */
  suitable: string[];
  /** "Contains egg, nuts", or null when it has none of the allergens. */
  contains: string | null;
  /** Some ingredient is not in the vocabulary: nothing is claimed, ask the bartender. */
  unchecked: boolean;
}

export function dietChips(drink: Drink, tr: Translator = translate()): DietChips {
  const facts = drink.facts;
  if (!facts) return { suitable: [], contains: null, unchecked: false };
  const has = (value: SuitableFor) => facts.suitable_for.includes(value);
  const headline: SuitableFor[] = [has("vegan") ? "vegan" : "vegetarian", "alcohol-free", "gluten-free"];
  const suitable = headline.filter(has).map((value) => dietLabel(value, tr));
  const allergens = ALLERGENS.filter((tag) => facts.contains.includes(tag));
  return {
    suitable,
    contains: allergens.length
      ? tr.t("diet.contains", { allergens: allergens.map((tag) => tr.t(`allergen.${tag}`)).join(", ") })
      : null,
    unchecked: facts.unknown_ingredients.length > 0,
  };
}

/** "vegan and nut-free", for the message when nothing on the menu is. */
export function dietPhrase(chosen: readonly SuitableFor[], tr: Translator = translate()): string {
  const words = SUITABLE_FOR.filter((value) => chosen.includes(value)).map((value) =>
    dietLabel(value, tr).toLocaleLowerCase(tr.locale),
  );
  if (words.length <= 1) return words[0] ?? "";
  return tr.t("list.and", { rest: words.slice(0, -1).join(", "), last: words.at(-1)! });
}

export function toggleDiet(chosen: readonly SuitableFor[], value: SuitableFor): SuitableFor[] {
  const next = chosen.includes(value) ? chosen.filter((v) => v !== value) : [...chosen, value];
  return SUITABLE_FOR.filter((v) => next.includes(v));
}

/** The guest's last choice on this phone (forgotten at sign-out with their other things). */
export function loadDiet(): SuitableFor[] {
  const saved = readCache<unknown>(DIET_CACHE);
  if (!Array.isArray(saved)) return [];
  return SUITABLE_FOR.filter((value) => saved.includes(value));
}

export function saveDiet(chosen: readonly SuitableFor[]): void {
  writeCache(DIET_CACHE, [...chosen]);
}
