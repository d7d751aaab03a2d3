// Which of a drink's ingredients the menu's vocabulary does not know. Such a drink is never
// claimed safe for a diet (its `suitable_for` is empty), so the bartender is told, on the row
// and while typing. The server's `facts` are the truth; this is the form's early warning.

import type { Drink, VocabularyEntry } from "../api/types";

/** As the menu service normalises a name before looking it up: NFC, lower case, trimmed,
 * whitespace collapsed. (Its aliases and plurals are its own; see `knownBySavedDrink`.) */
export function normaliseIngredient(name: string): string {
  return name.normalize("NFC").toLowerCase().trim().replace(/\s+/g, " ");
}

export function vocabularyOf(entries: VocabularyEntry[]): Set<string> {
  return new Set(entries.map((entry) => normaliseIngredient(entry.name)));
}

/**
 * The typed names (as typed, each once) the vocabulary does not know. A name counts as known
 * when the vocabulary has it, or when the saved drink has it and the server did not flag it
 * (the server also knows aliases such as "fresh lime juice"). Without the vocabulary (not
 * loaded, an older server) only what the server flagged on the saved drink is listed.
 */
export function unknownIngredients(names: string[], vocabulary: Set<string> | null, saved: Drink | null): string[] {
  const savedUnknown = new Set((saved?.facts?.unknown_ingredients ?? []).map(normaliseIngredient));
  const savedKnown = new Set(
    saved?.facts
      ? saved.ingredients.map((i) => normaliseIngredient(i.name)).filter((name) => !savedUnknown.has(name))
      : [],
  );
  const seen = new Set<string>();
  const unknown: string[] = [];
  for (const name of names) {
    const key = normaliseIngredient(name);
    if (!key || seen.has(key)) continue;
    seen.add(key);
    const flagged = vocabulary ? !vocabulary.has(key) && !savedKnown.has(key) : savedUnknown.has(key);
    if (flagged) unknown.push(name.trim());
  }
  return unknown;
}

export function unknownIngredientsWarning(unknown: string[]): string | null {
  if (unknown.length === 0) return null;
  return (
    `Not in the ingredient vocabulary: ${unknown.join(", ")}. ` +
    "Guests won't see this drink as safe for any diet until it is known."
  );
}
