import type { DrinkFacts } from "../api/types";
import { aDrink } from "../test/fixtures";
import { normaliseIngredient, unknownIngredients, unknownIngredientsWarning, vocabularyOf } from "./ingredientCheck";

const VOCABULARY = vocabularyOf([
  { name: "gin", contains: ["alcohol", "spirit:gin"] },
  { name: "lime juice", contains: [] },
  { name: "egg white", contains: ["animal", "egg"] },
  { name: "crème de cassis", contains: ["alcohol", "spirit:liqueur", "sugar"] },
]);
const facts = (over: Partial<DrinkFacts>): DrinkFacts => ({ contains: [], unknown_ingredients: [], suitable_for: [], ...over });

describe("the form's check of ingredient names against the vocabulary", () => {
  it("normalises a name as the menu service does", () => {
    expect(normaliseIngredient("  Lime \t  JUICE ")).toBe("lime juice");
    expect(normaliseIngredient("Cre\u0300me de Cassis")).toBe(normaliseIngredient("Crème de cassis"));
  });

  it("lists each name it does not know, as typed, once, and skips blank rows", () => {
    expect(unknownIngredients(["Gin", " Lime  juice", "Grandma's cordial ", "", "grandma's CORDIAL"], VOCABULARY, null)).toEqual([
      "Grandma's cordial",
    ]);
    expect(unknownIngredients(["Cre\u0300me de cassis", "Egg white"], VOCABULARY, null)).toEqual([]);
  });

  it("trusts the server for a saved name it knows by an alias", () => {
    const saved = aDrink({
      ingredients: [
        { name: "Fresh lime juice", amount: 2, unit: "cl" },
        { name: "Grandma's cordial", amount: 1, unit: "cl" },
      ],
      facts: facts({ unknown_ingredients: ["Grandma's cordial"] }),
    });
    expect(unknownIngredients(["Fresh lime juice", "Grandma's cordial", "Limes"], VOCABULARY, saved)).toEqual([
      "Grandma's cordial",
      "Limes",
    ]);
  });

  it("falls back to the saved drink's flags without the vocabulary", () => {
    const saved = aDrink({ facts: facts({ unknown_ingredients: ["Grandma's cordial"] }) });
    expect(unknownIngredients(["grandma's cordial", "Anything"], null, saved)).toEqual(["grandma's cordial"]);
    expect(unknownIngredients(["Anything"], null, null)).toEqual([]);
    expect(unknownIngredients(["Anything"], null, aDrink())).toEqual([]); // an older server: no facts
  });

  it("says what it means for guests", () => {
    expect(unknownIngredientsWarning([])).toBeNull();
    expect(unknownIngredientsWarning(["Grandma's cordial", "Limes"])).toBe(
      "Not in the ingredient vocabulary: Grandma's cordial, Limes. Guests won't see this drink as safe for any diet until it is known.",
    );
  });
});
