import type { Section } from "../api/types";
import { aDrink } from "../test/fixtures";
import {
  MAX_IMAGE_BYTES,
  drinkToForm,
  emptyDrinkForm,
  groupDrinks,
  imageFileProblem,
  ingredientRow,
  nextDisplayOrder,
  parseAmount,
  splitSteps,
  splitTags,
  validateDrinkForm,
  validateSectionForm,
  type DrinkForm,
} from "./drinkForm";

function form(patch: Partial<DrinkForm> = {}): DrinkForm {
  return {
    ...emptyDrinkForm("section-1"),
    name: "Negroni",
    ingredients: [{ ...ingredientRow(), name: "Gin", amount: "3", unit: "cl" }],
    ...patch,
  };
}

const drink = (id: string, name: string, section_id: string) => aDrink({ id, name, section_id });

function section(id: string, name: string, display_order: number): Section {
  return { id, name, description: "", display_order };
}


describe("validateDrinkForm", () => {
  it("turns a filled-in form into the API's drink, trimmed and typed", () => {
    const result = validateDrinkForm(
      form({
        name: "  Negroni ",
        description: " Bitter and bright ",
        ingredients: [
          { ...ingredientRow(), name: " Gin ", amount: "3", unit: "cl" },
          { ...ingredientRow(), name: "Orange peel", amount: "", unit: "" },
          { ...ingredientRow(), name: "", amount: "", unit: "" },
        ],
        steps: "Stir with ice\n\n  Strain  \n",
        tags: "Bitter, classic, bitter",
        isActive: false,
      }),
    );
    expect(result).toEqual({
      ok: true,
      value: {
        section_id: "section-1",
        name: "Negroni",
        description: "Bitter and bright",
        ingredients: [
          { name: "Gin", amount: 3, unit: "cl" },
          { name: "Orange peel", amount: null, unit: null },
        ],
        recipe_steps: ["Stir with ice", "Strain"],
        tags: ["bitter", "classic"],
        is_active: false,
      },
    });
  });

  it("refuses a drink without ingredients", () => {
    const result = validateDrinkForm(form({ ingredients: [ingredientRow()] }));
    expect(result).toEqual({ ok: false, errors: { ingredients: "Add at least one ingredient." } });
  });

  it("names every missing required field", () => {
    const result = validateDrinkForm(form({ name: "  ", sectionId: "" }));
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.errors.name).toBe("Name is required.");
      expect(result.errors.section).toBe("Choose a section.");
    }
  });

  it("points at the ingredient with a bad amount or no name", () => {
    const bad = validateDrinkForm(
      form({
        ingredients: [
          { ...ingredientRow(), name: "Gin", amount: "3", unit: "cl" },
          { ...ingredientRow(), name: "Vermouth", amount: "lots", unit: "cl" },
        ],
      }),
    );
    expect(!bad.ok && bad.errors.ingredients).toMatch(/^Ingredient 2: the amount/);
    const nameless = validateDrinkForm(form({ ingredients: [{ ...ingredientRow(), name: "", amount: "2", unit: "cl" }] }));
    expect(!nameless.ok && nameless.errors.ingredients).toBe("Ingredient 1 name is required.");
  });

  it("keeps to the API's limits on counts and lengths", () => {
    const many = Array.from({ length: 21 }, (_, i) => ({ ...ingredientRow(), name: `Thing ${i}`, amount: "", unit: "" as const }));
    const tooMany = validateDrinkForm(form({ ingredients: many }));
    expect(!tooMany.ok && tooMany.errors.ingredients).toBe("A drink can have at most 20 ingredients.");

    const checks: [Partial<DrinkForm>, string, RegExp][] = [
      [{ name: "x".repeat(101) }, "name", /at most 100/],
      [{ description: "x".repeat(1001) }, "description", /at most 1000/],
      [{ steps: Array.from({ length: 21 }, (_, i) => `Step ${i}`).join("\n") }, "steps", /At most 20 recipe steps/],
      [{ steps: `ok\n${"x".repeat(501)}` }, "steps", /Step 2 is longer than 500/],
      [{ tags: Array.from({ length: 11 }, (_, i) => `t${i}`).join(",") }, "tags", /At most 10 tags/],
      [{ tags: `fine, ${"x".repeat(31)}` }, "tags", /longer than 30/],
    ];
    for (const [patch, field, message] of checks) {
      const result = validateDrinkForm(form(patch));
      expect(result.ok).toBe(false);
      expect(!result.ok && result.errors[field as keyof typeof result.errors]).toMatch(message);
    }
  });

  it("counts characters, not UTF-16 units, like the server", () => {
    expect(validateDrinkForm(form({ name: "🍸".repeat(100) })).ok).toBe(true);
  });
});

describe("form helpers", () => {
  it("parses amounts: empty is none, a comma is a decimal mark, nonsense is refused", () => {
    expect(parseAmount("")).toBeNull();
    expect(parseAmount(" 1,5 ")).toBe(1.5);
    expect(parseAmount(".5")).toBe(0.5);
    expect(parseAmount("0")).toBe(0);
    expect(parseAmount("-1")).toBeUndefined();
    expect(parseAmount("2cl")).toBeUndefined();
    expect(parseAmount("10001")).toBeUndefined();
  });

  it("splits steps by line and tags by comma", () => {
    expect(splitSteps("a\r\n\n b ")).toEqual(["a", "b"]);
    expect(splitTags(" Sour ,, sweet,SOUR ")).toEqual(["sour", "sweet"]);
  });

  it("round-trips a drink through the form", () => {
    const original = { ...drink("d1", "Negroni", "s1"), recipe_steps: ["Stir", "Strain"], tags: ["bitter"] };
    const result = validateDrinkForm(drinkToForm(original));
    expect(result.ok && result.value).toMatchObject({
      name: "Negroni",
      section_id: "s1",
      ingredients: original.ingredients,
      recipe_steps: ["Stir", "Strain"],
      tags: ["bitter"],
    });
  });

  it("accepts only the photo types and size the presigned POST allows", () => {
    expect(imageFileProblem({ type: "image/png", size: 1000 })).toBeNull();
    expect(imageFileProblem({ type: "image/gif", size: 1000 })).toMatch(/JPEG, PNG or WebP/);
    expect(imageFileProblem({ type: "image/jpeg", size: MAX_IMAGE_BYTES + 1 })).toMatch(/limit is 5 MiB/);
    expect(imageFileProblem({ type: "image/webp", size: MAX_IMAGE_BYTES })).toBeNull();
  });
});

describe("sections", () => {
  it("validates the section form", () => {
    expect(validateSectionForm({ name: " Classics ", description: "", displayOrder: "20" })).toEqual({
      ok: true,
      value: { name: "Classics", description: "", display_order: 20 },
    });
    const bad = validateSectionForm({ name: "", description: "x".repeat(501), displayOrder: "1.5" });
    expect(bad).toEqual({
      ok: false,
      errors: {
        name: "Name is required.",
        description: "Description can be at most 500 characters (now 501).",
        displayOrder: "Display order must be a whole number.",
      },
    });
  });

  it("puts a new section after the last one, on a step of ten", () => {
    expect(nextDisplayOrder([])).toBe(10);
    expect(nextDisplayOrder([section("a", "A", 10), section("b", "B", 25)])).toBe(30);
  });

  it("groups drinks by section in menu order, orphans last", () => {
    const groups = groupDrinks(
      [section("late", "Late", 20), section("early", "Early", 10)],
      [drink("1", "Mojito", "early"), drink("2", "Daiquiri", "early"), drink("3", "Lost", "gone")],
    );
    expect(groups.map((g) => [g.section?.name ?? null, g.drinks.map((d) => d.name)])).toEqual([
      ["Early", ["Daiquiri", "Mojito"]],
      ["Late", []],
      [null, ["Lost"]],
    ]);
  });
});
