// The menu editor's form logic, kept apart from React so the limits of API.md are tested
// directly: text fields in, a DrinkInput / SectionInput (or messages per field) out.

import type { DrinkInput, SectionInput } from "../api/barkeep";
import { UNITS, type Drink, type Ingredient, type Section, type Unit } from "../api/types";
import { lengthProblem, wholeNumber, type Checked } from "./forms";

export const DRINK_LIMITS = {
  name: 100,
  description: 1000,
  ingredients: 20,
  ingredientName: 100,
  amountMax: 10_000,
  steps: 20,
  step: 500,
  tags: 10,
  tag: 30,
} as const;

export const SECTION_LIMITS = { name: 100, description: 500, order: 1_000_000 } as const;

export const IMAGE_TYPES = ["image/jpeg", "image/png", "image/webp"] as const;
export const MAX_IMAGE_BYTES = 5 * 1024 * 1024;

export interface IngredientRow {
  /** Stable React key: rows are added and removed in the middle. */
  key: string;
  name: string;
  amount: string;
  unit: Unit | "";
}

export interface DrinkForm {
  name: string;
  sectionId: string;
  description: string;
  ingredients: IngredientRow[];
  steps: string;
  tags: string;
  isActive: boolean;
}

export type DrinkField = "name" | "section" | "description" | "ingredients" | "steps" | "tags";

let rowCounter = 0;

export function ingredientRow(from?: Ingredient): IngredientRow {
  rowCounter += 1;
  return {
    key: `ingredient-${rowCounter}`,
    name: from?.name ?? "",
    amount: from?.amount === null || from?.amount === undefined ? "" : String(from.amount),
    unit: from?.unit ?? "",
  };
}

export function emptyDrinkForm(sectionId = ""): DrinkForm {
  return {
    name: "",
    sectionId,
    description: "",
    ingredients: [ingredientRow()],
    steps: "",
    tags: "",
    isActive: true,
  };
}

export function drinkToForm(drink: Drink): DrinkForm {
  return {
    name: drink.name,
    sectionId: drink.section_id,
    description: drink.description,
    ingredients: drink.ingredients.length ? drink.ingredients.map((i) => ingredientRow(i)) : [ingredientRow()],
    steps: drink.recipe_steps.join("\n"),
    tags: drink.tags.join(", "),
    isActive: drink.is_active,
  };
}

/** An amount as typed: empty means "no amount"; a comma is accepted as the decimal mark. */
export function parseAmount(text: string): number | null | undefined {
  const trimmed = text.trim().replace(",", ".");
  if (trimmed === "") return null;
  if (!/^\d*\.?\d+$|^\d+\.$/.test(trimmed)) return undefined;
  const value = Number(trimmed);
  return Number.isFinite(value) && value <= DRINK_LIMITS.amountMax ? value : undefined;
}

export function splitSteps(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(Boolean);
}

/** Tags as the server stores them: trimmed, lower case, each once. */
export function splitTags(text: string): string[] {
  const tags = text
    .split(",")
    .map((tag) => tag.trim().toLowerCase())
    .filter(Boolean);
  return [...new Set(tags)];
}

function isBlankRow(row: IngredientRow): boolean {
  return !row.name.trim() && !row.amount.trim() && !row.unit;
}

function checkIngredients(rows: IngredientRow[]): Ingredient[] | string {
  // A row left completely empty is just the spare one at the bottom: ignore it.
  const filled = rows.map((row, index) => ({ row, number: index + 1 })).filter(({ row }) => !isBlankRow(row));
  if (filled.length === 0) return "Add at least one ingredient.";
  if (filled.length > DRINK_LIMITS.ingredients) return `A drink can have at most ${DRINK_LIMITS.ingredients} ingredients.`;
  const ingredients: Ingredient[] = [];
  for (const { row, number } of filled) {
    const name = row.name.trim();
    const nameProblem = lengthProblem(name, `Ingredient ${number} name`, 1, DRINK_LIMITS.ingredientName);
    if (nameProblem) return nameProblem;
    const amount = parseAmount(row.amount);
    if (amount === undefined) {
      return `Ingredient ${number}: the amount must be a number from 0 to ${DRINK_LIMITS.amountMax}, or empty.`;
    }
    if (row.unit && !UNITS.includes(row.unit)) return `Ingredient ${number}: unknown unit.`;
    ingredients.push({ name, amount, unit: row.unit || null });
  }
  return ingredients;
}

export function validateDrinkForm(form: DrinkForm): Checked<DrinkInput, DrinkField> {
  const errors: Partial<Record<DrinkField, string>> = {};
  const name = form.name.trim();
  const description = form.description.trim();
  const steps = splitSteps(form.steps);
  const tags = splitTags(form.tags);

  const nameProblem = lengthProblem(name, "Name", 1, DRINK_LIMITS.name);
  if (nameProblem) errors.name = nameProblem;
  if (!form.sectionId) errors.section = "Choose a section.";
  const descriptionProblem = lengthProblem(description, "Description", 0, DRINK_LIMITS.description);
  if (descriptionProblem) errors.description = descriptionProblem;

  const ingredients = checkIngredients(form.ingredients);
  if (typeof ingredients === "string") errors.ingredients = ingredients;

  if (steps.length > DRINK_LIMITS.steps) {
    errors.steps = `At most ${DRINK_LIMITS.steps} recipe steps (now ${steps.length}).`;
  } else {
    const long = steps.findIndex((step) => [...step].length > DRINK_LIMITS.step);
    if (long >= 0) errors.steps = `Step ${long + 1} is longer than ${DRINK_LIMITS.step} characters.`;
  }

  if (tags.length > DRINK_LIMITS.tags) {
    errors.tags = `At most ${DRINK_LIMITS.tags} tags (now ${tags.length}).`;
  } else {
    const long = tags.find((tag) => [...tag].length > DRINK_LIMITS.tag);
    if (long) errors.tags = `The tag “${long}” is longer than ${DRINK_LIMITS.tag} characters.`;
  }

  if (Object.keys(errors).length > 0 || typeof ingredients === "string") return { ok: false, errors };
  return {
    ok: true,
    value: {
      section_id: form.sectionId,
      name,
      description,
      ingredients,
      recipe_steps: steps,
      tags,
      is_active: form.isActive,
    },
  };
}

/** Why a chosen photo can't be uploaded (the presigned POST would refuse it), or null. */
export function imageFileProblem(file: { type: string; size: number }): string | null {
  if (!(IMAGE_TYPES as readonly string[]).includes(file.type)) return "Choose a JPEG, PNG or WebP image.";
  if (file.size > MAX_IMAGE_BYTES) {
    return `That image is ${(file.size / 1024 / 1024).toFixed(1)} MiB; the limit is 5 MiB.`;
  }
  if (file.size === 0) return "That file is empty.";
  return null;
}

// --- sections ------------------------------------------------------------------------------

export interface SectionForm {
  name: string;
  description: string;
  displayOrder: string;
}

export type SectionField = "name" | "description" | "displayOrder";

export function sectionToForm(section: Section): SectionForm {
  return { name: section.name, description: section.description, displayOrder: String(section.display_order) };
}

export function sortSections(sections: Section[]): Section[] {
  return [...sections].sort((a, b) => a.display_order - b.display_order || a.name.localeCompare(b.name));
}

/** A new section goes last, on a step of ten so that one can later be slotted in between. */
export function nextDisplayOrder(sections: Section[]): number {
  if (sections.length === 0) return 10;
  const highest = Math.max(...sections.map((section) => section.display_order));
  return Math.min(SECTION_LIMITS.order, Math.floor(highest / 10) * 10 + 10);
}

export function validateSectionForm(form: SectionForm): Checked<SectionInput, SectionField> {
  const errors: Partial<Record<SectionField, string>> = {};
  const name = form.name.trim();
  const description = form.description.trim();
  const nameProblem = lengthProblem(name, "Name", 1, SECTION_LIMITS.name);
  if (nameProblem) errors.name = nameProblem;
  const descriptionProblem = lengthProblem(description, "Description", 0, SECTION_LIMITS.description);
  if (descriptionProblem) errors.description = descriptionProblem;
  const order = wholeNumber(form.displayOrder, "Display order", -SECTION_LIMITS.order, SECTION_LIMITS.order);
  if (typeof order === "string") errors.displayOrder = order;
  if (Object.keys(errors).length > 0 || typeof order === "string") return { ok: false, errors };
  return { ok: true, value: { name, description, display_order: order } };
}

/** Drinks grouped under their sections, in menu order; drinks of an unknown section come last. */
export function groupDrinks(sections: Section[], drinks: Drink[]): { section: Section | null; drinks: Drink[] }[] {
  const byName = (a: Drink, b: Drink) => a.name.localeCompare(b.name);
  const known = new Set(sections.map((section) => section.id));
  const groups: { section: Section | null; drinks: Drink[] }[] = sortSections(sections).map((section) => ({
    section,
    drinks: drinks.filter((drink) => drink.section_id === section.id).sort(byName),
  }));
  const orphans = drinks.filter((drink) => !known.has(drink.section_id)).sort(byName);
  if (orphans.length) groups.push({ section: null, drinks: orphans });
  return groups;
}
