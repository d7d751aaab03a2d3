import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import type { Drink, DrinkFacts } from "../api/types";
import type { Services } from "../app/services";
import { fakeServices, renderAt, signInGuest } from "../test/fakeServices";
import { aDrink } from "../test/fixtures";
import { loadDiet } from "./dietFilter";
import { MenuPage } from "./MenuPage";

const SECTIONS = [{ id: "s1", name: "Classics", description: "", display_order: 1 }];
const facts = (over: Partial<DrinkFacts>): DrinkFacts => ({ contains: [], unknown_ingredients: [], suitable_for: [], ...over });

const DRINKS: Drink[] = [
  aDrink({
    id: "d1",
    name: "Virgin Mojito",
    facts: facts({
      contains: ["sugar"],
      suitable_for: ["alcohol-free", "caffeine-free", "dairy-free", "egg-free", "gluten-free", "nut-free", "vegan", "vegetarian"],
    }),
  }),
  aDrink({
    id: "d2",
    name: "Whisky Sour",
    facts: facts({
      contains: ["alcohol", "animal", "egg", "spirit:whisky", "sugar"],
      suitable_for: ["caffeine-free", "dairy-free", "gluten-free", "nut-free", "vegetarian"],
    }),
  }),
  aDrink({
    id: "d3",
    name: "House Cordial Fizz",
    facts: facts({ contains: ["nuts"], unknown_ingredients: ["Grandma's cordial"] }),
  }),
  aDrink({ id: "d4", name: "Old Server Sling" }), // no facts at all
];

function guest(drinks = DRINKS): Services {
  const services = fakeServices();
  signInGuest(services);
  services.api.menu.sections = vi.fn().mockResolvedValue(SECTIONS);
  services.api.menu.drinks = vi.fn().mockResolvedValue(drinks);
  return services;
}

const card = (name: string) => screen.getByRole("button", { name }).closest("article")!;
const shown = () => screen.queryAllByRole("article").map((a) => within(a).getAllByRole("button")[0]!.textContent);
const diet = () => within(screen.getByRole("group", { name: "Diet" }));

describe("the guest menu's diet and allergen facts", () => {
  it("shows what each drink suits and the allergens in it, and claims nothing it cannot know", async () => {
    renderAt("/menu", <MenuPage />, guest());
    await screen.findByRole("button", { name: "Whisky Sour" });

    const sour = within(card("Whisky Sour"));
    expect(sour.getByText("Vegetarian")).toBeInTheDocument();
    expect(sour.queryByText("Nut-free")).not.toBeInTheDocument(); // read from "Contains egg": no wall of chips
    expect(sour.queryByText("Vegan")).not.toBeInTheDocument();
    expect(sour.getByText("Contains egg")).toBeInTheDocument();
    expect(within(card("Virgin Mojito")).getByText("Alcohol-free")).toBeInTheDocument();

    const cordial = within(card("House Cordial Fizz"));
    expect(cordial.getByText("Contains nuts")).toBeInTheDocument();
    expect(cordial.getByText("Ask about allergens")).toBeInTheDocument();
    expect(cordial.queryByText(/-free|Vegan|Vegetarian/)).not.toBeInTheDocument();
    expect(within(card("Old Server Sling")).queryByLabelText("Diet and allergens")).not.toBeInTheDocument();
  });

  it("filters to the drinks that suit every chosen diet, and keeps the choice after a reload", async () => {
    const services = guest();
    const { unmount } = renderAt("/menu", <MenuPage />, services);
    await screen.findByRole("button", { name: "Whisky Sour" });
    expect(shown()).toHaveLength(4);

    await userEvent.click(diet().getByRole("button", { name: "Vegetarian" }));
    expect(diet().getByRole("button", { name: "Vegetarian" })).toHaveAttribute("aria-pressed", "true");
    expect(shown()).toEqual(["Virgin Mojito", "Whisky Sour"]);
    await userEvent.click(diet().getByRole("button", { name: "Alcohol-free" }));
    expect(shown()).toEqual(["Virgin Mojito"]);
    expect(screen.getByRole("status")).toHaveTextContent("1 drink matches.");
    expect(loadDiet()).toEqual(["alcohol-free", "vegetarian"]);

    unmount();
    renderAt("/menu", <MenuPage />, services);
    await screen.findByRole("button", { name: "Virgin Mojito" });
    expect(shown()).toEqual(["Virgin Mojito"]);
    expect(diet().getByRole("button", { name: "Alcohol-free" })).toHaveAttribute("aria-pressed", "true");
  });

  it("combines the diet with the search, and one button clears both", async () => {
    renderAt("/menu", <MenuPage />, guest());
    await screen.findByRole("button", { name: "Whisky Sour" });

    await userEvent.click(diet().getByRole("button", { name: "Vegan" }));
    await userEvent.click(diet().getByRole("button", { name: "Egg-free" }));
    expect(shown()).toEqual(["Virgin Mojito"]);
    await userEvent.type(screen.getByLabelText("Search drinks"), "sour");
    expect(shown()).toEqual([]);
    const status = screen.getByRole("status");
    expect(status).toHaveTextContent("No drink matches.");

    await userEvent.click(within(status).getByRole("button", { name: "Clear filters" }));
    expect(shown()).toHaveLength(4);
    expect(screen.getByLabelText("Search drinks")).toHaveValue("");
    expect(loadDiet()).toEqual([]);
  });

  it("tells the guest plainly when no drink on the menu suits the diet", async () => {
    renderAt("/menu", <MenuPage />, guest(DRINKS.slice(1)));
    await screen.findByRole("button", { name: "Whisky Sour" });

    await userEvent.click(diet().getByRole("button", { name: "Vegan" }));
    await userEvent.click(diet().getByRole("button", { name: "Nut-free" }));
    expect(shown()).toEqual([]);
    const status = screen.getByRole("status");
    expect(status).toHaveTextContent("Nothing on tonight's menu is marked vegan and nut-free.");

    await userEvent.click(within(status).getByRole("button", { name: "Clear filters" }));
    expect(shown()).toHaveLength(3);
    expect(loadDiet()).toEqual([]);
    expect(diet().getByRole("button", { name: "Vegan" })).toHaveAttribute("aria-pressed", "false");
  });
});
