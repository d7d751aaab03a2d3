import type { Drink } from "../api/types";
import { setLocale, translate } from "../i18n";
import { amountText, bySection, facets, matches, NO_FILTER } from "./menuFilter";

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

describe("an ingredient's amount", () => {
  afterEach(() => setLocale("en", { remember: false }));

  it("is said as a recipe says it, in the guest's language", () => {
    const say = () => {
      const tr = translate();
      return [
        amountText(1.5, "cl", tr),
        amountText(1, "dash", tr),
        amountText(2, "dash", tr),
        amountText(2, "barspoon", tr),
        amountText(4, "piece", tr), // 4 basil leaves, not "4 piece basil leaves"
        amountText(null, "top", tr),
        amountText(null, null, tr), // a pinch of salt
      ];
    };
    setLocale("en", { remember: false });
    expect(say()).toEqual(["1.5 cl", "1 dash", "2 dashes", "2 barspoons", "4", "Top with", ""]);
    setLocale("sv", { remember: false });
    expect(say()).toEqual(["1,5 cl", "1 stänk", "2 stänk", "2 barskedar", "4", "Toppa med", ""]);
  });
});
