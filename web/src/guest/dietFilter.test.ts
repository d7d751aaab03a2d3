import type { DrinkFacts, SuitableFor } from "../api/types";
import { forgetGuestCaches } from "../app/cache";
import { aDrink } from "../test/fixtures";
import { dietChips, dietPhrase, loadDiet, matchesDiet, saveDiet, toggleDiet } from "./dietFilter";

const facts = (over: Partial<DrinkFacts> = {}): DrinkFacts => ({
  contains: [],
  unknown_ingredients: [],
  suitable_for: [],
  ...over,
});

const virginMojito = aDrink({
  name: "Virgin Mojito",
  facts: facts({
    contains: ["sugar"],
    suitable_for: ["alcohol-free", "caffeine-free", "dairy-free", "egg-free", "gluten-free", "nut-free", "vegan", "vegetarian"],
  }),
});
const whiskySour = aDrink({
  name: "Whisky Sour",
  facts: facts({
    contains: ["alcohol", "animal", "egg", "spirit:whisky", "sugar"],
    suitable_for: ["caffeine-free", "dairy-free", "gluten-free", "nut-free", "vegetarian"],
  }),
});

beforeEach(() => localStorage.clear());

describe("the diet filter", () => {
  it("lets a drink through only when every chosen value is in its suitable_for", () => {
    expect(matchesDiet(whiskySour, ["vegetarian", "nut-free"])).toBe(true);
    expect(matchesDiet(whiskySour, ["vegetarian", "vegan"])).toBe(false);
    expect(matchesDiet(virginMojito, ["alcohol-free", "vegan", "nut-free"])).toBe(true);
  });

  it("lets every drink through when nothing is chosen", () => {
    expect(matchesDiet(aDrink(), [])).toBe(true);
  });

  it("never lets through a drink without facts, or with an unknown ingredient", () => {
    expect(matchesDiet(aDrink(), ["vegan"])).toBe(false);
    const cordial = aDrink({ facts: facts({ unknown_ingredients: ["Grandma's cordial"], suitable_for: [] }) });
    for (const value of ["alcohol-free", "nut-free"] satisfies SuitableFor[]) expect(matchesDiet(cordial, [value])).toBe(false);
  });

  it("keeps the choice in the filter's order, and on the phone until the guest leaves", () => {
    let chosen = toggleDiet([], "nut-free");
    chosen = toggleDiet(chosen, "vegan");
    expect(chosen).toEqual(["vegan", "nut-free"]);
    expect(toggleDiet(chosen, "vegan")).toEqual(["nut-free"]);

    saveDiet(chosen);
    expect(loadDiet()).toEqual(["vegan", "nut-free"]);
    forgetGuestCaches();
    expect(loadDiet()).toEqual([]);
  });

  it("reads back only values it knows", () => {
    localStorage.setItem("barkeep.cache.diet", JSON.stringify({ saved_at: Date.now(), value: ["vegan", "keto", 3] }));
    expect(loadDiet()).toEqual(["vegan"]);
    localStorage.setItem("barkeep.cache.diet", JSON.stringify({ saved_at: Date.now(), value: "vegan" }));
    expect(loadDiet()).toEqual([]);
  });

  it("names the choice for the 'nothing fits' message", () => {
    expect(dietPhrase(["vegan"])).toBe("vegan");
    expect(dietPhrase(["nut-free", "vegan"])).toBe("vegan and nut-free");
    expect(dietPhrase(["alcohol-free", "vegan", "gluten-free"])).toBe("alcohol-free, vegan and gluten-free");
  });
});

describe("a drink's diet and allergen chips", () => {
  it("names the diets people look for first and the allergens it contains", () => {
    expect(dietChips(whiskySour)).toEqual({
      suitable: ["Vegetarian", "Gluten-free"],
      contains: "Contains egg",
      unchecked: false,
    });
    const orgeat = aDrink({ facts: facts({ contains: ["alcohol", "animal", "dairy", "egg", "nuts"] }) });
    expect(dietChips(orgeat).contains).toBe("Contains egg, nuts, dairy");
    expect(dietChips(virginMojito).contains).toBeNull();
    expect(dietChips(virginMojito).suitable).toEqual(["Vegan", "Alcohol-free", "Gluten-free"]);
  });

  it("claims nothing for a drink without facts, and flags one with an unknown ingredient", () => {
    expect(dietChips(aDrink())).toEqual({ suitable: [], contains: null, unchecked: false });
    const cordial = aDrink({ facts: facts({ contains: ["nuts"], unknown_ingredients: ["Grandma's cordial"] }) });
    expect(dietChips(cordial)).toEqual({ suitable: [], contains: "Contains nuts", unchecked: true });
  });
});
