import type { Drink } from "../api/types";
import { bySection, facets, matches, NO_FILTER } from "./menuFilter";

const drink = (over: Partial<Drink>): Drink => ({
  id: "d",
  section_id: "s1",
  name: "Paloma",
  description: "Grapefruit and tequila, bright and salty",
  ingredients: [{ name: "Tequila", amount: 5, unit: "cl" }, { name: "Grapefruit soda", amount: null, unit: "top" }],
  recipe_steps: [],
  tags: ["refreshing", "citrus"],
  image_url: null,
  is_active: true,
  created_at: "",
  updated_at: "",
  ...over,
});

describe("menu filters", () => {
  it("matches every word of the search across name, description, tags and ingredients, ignoring accents", () => {
    expect(matches(drink({}), { ...NO_FILTER, q: "tequila salty" })).toBe(true);
    expect(matches(drink({ name: "Piña Colada" }), { ...NO_FILTER, q: "pina" })).toBe(true);
    expect(matches(drink({}), { ...NO_FILTER, q: "gin" })).toBe(false);
  });

  it("filters by tag and by ingredient name, case-insensitively", () => {
    expect(matches(drink({}), { ...NO_FILTER, tag: "Citrus" })).toBe(true);
    expect(matches(drink({}), { ...NO_FILTER, ingredient: "tequila" })).toBe(true);
    expect(matches(drink({}), { ...NO_FILTER, ingredient: "Gin" })).toBe(false);
  });

  it("offers the most common tags first", () => {
    const drinks = [drink({ tags: ["citrus"] }), drink({ tags: ["citrus", "sweet"] })];
    expect(facets(drinks, (d) => d.tags)).toEqual(["citrus", "sweet"]);
  });

  it("groups drinks by section in display order and leaves empty sections out", () => {
    const sections = [
      { id: "s2", name: "Later", description: "", display_order: 2 },
      { id: "s1", name: "First", description: "", display_order: 1 },
      { id: "s3", name: "Empty", description: "", display_order: 3 },
    ];
    const groups = bySection(sections, [drink({ id: "a", section_id: "s2" }), drink({ id: "b", section_id: "s1" })]);
    expect(groups.map((g) => g.section.name)).toEqual(["First", "Later"]);
  });
});
