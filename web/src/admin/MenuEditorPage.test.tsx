import { act, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { ApiError } from "../api/http";
import type { Drink, Section } from "../api/types";
import { fakeServices, renderAt } from "../test/fakeServices";
import { aDrink } from "../test/fixtures";
import { MenuEditorPage } from "./MenuEditorPage";

const drink = aDrink;
const SECTIONS: Section[] = [{ id: "s1", name: "Classics", description: "", display_order: 10 }];


function setup(drinks: Drink[]) {
  const services = fakeServices();
  services.api.menu.sections = vi.fn().mockResolvedValue(SECTIONS);
  const api = services.api.menuAdmin;
  api.drinks = vi.fn().mockResolvedValue(drinks);
  api.createDrink = vi.fn().mockResolvedValue(drink({ id: "d2", name: "Martini" }));
  api.updateDrink = vi.fn();
  api.deleteSection = vi.fn();
  renderAt("/admin/menu", <MenuEditorPage />, services);
  return api;
}

afterEach(() => vi.restoreAllMocks());

describe("MenuEditorPage", () => {
  it("refuses a drink without ingredients, then saves it once one is added", async () => {
    const api = setup([]);
    await userEvent.click(await screen.findByRole("button", { name: "Add drink" }));
    const dialog = screen.getByRole("dialog", { name: "Add drink" });

    await userEvent.type(within(dialog).getByLabelText("Name"), "Martini");
    await userEvent.click(within(dialog).getByRole("button", { name: "Save drink" }));

    expect(within(dialog).getByText("Add at least one ingredient.")).toBeInTheDocument();
    expect(within(dialog).getByLabelText("Ingredient name")).toHaveFocus();
    expect(api.createDrink).not.toHaveBeenCalled();

    await userEvent.type(within(dialog).getByLabelText("Ingredient name"), "Gin");
    await userEvent.type(within(dialog).getByLabelText("Amount"), "6");
    await userEvent.selectOptions(within(dialog).getByLabelText("Unit"), "cl");
    await userEvent.type(within(dialog).getByLabelText("Tags"), "Dry, classic");
    await userEvent.click(within(dialog).getByRole("button", { name: "Save drink" }));

    expect(api.createDrink).toHaveBeenCalledWith({
      section_id: "s1",
      name: "Martini",
      description: "",
      ingredients: [{ name: "Gin", amount: 6, unit: "cl" }],
      recipe_steps: [],
      tags: ["dry", "classic"],
      is_active: true,
    });
    await waitFor(() => expect(screen.queryByRole("dialog")).not.toBeInTheDocument());
    expect(screen.getByRole("status")).toHaveTextContent("Martini saved.");
  });

  it("switches availability at once and puts it back when the server refuses", async () => {
    const api = setup([drink()]);
    let refuse: (error: Error) => void = () => {};
    vi.mocked(api.updateDrink).mockReturnValue(new Promise<Drink>((_, reject) => (refuse = reject)));

    const toggle = await screen.findByRole("checkbox", { name: "Available: Negroni" });
    expect(toggle).toBeChecked();
    await userEvent.click(toggle);

    expect(api.updateDrink).toHaveBeenCalledWith("d1", { is_active: false });
    expect(toggle).not.toBeChecked();
    await act(async () => refuse(new ApiError(403, "forbidden", "Not allowed")));
    expect(await screen.findByText("Not allowed")).toBeInTheDocument();
    expect(toggle).toBeChecked();
  });

  it("marks a drink sold out for tonight, keeping it on the menu", async () => {
    const api = setup([drink()]);
    const soldOut = await screen.findByRole("checkbox", { name: "Sold out: Negroni" });
    expect(soldOut).not.toBeChecked();
    vi.mocked(api.updateDrink).mockResolvedValue(drink({ sold_out: true }));
    vi.mocked(api.drinks).mockResolvedValue([drink({ sold_out: true })]);
    await userEvent.click(soldOut);

    expect(api.updateDrink).toHaveBeenCalledWith("d1", { sold_out: true });
    expect(soldOut).toBeChecked();
    expect(screen.getByRole("checkbox", { name: "Available: Negroni" })).toBeChecked();
    expect(screen.getByRole("status")).toHaveTextContent("Negroni is sold out: guests see it, but can't order it.");
  });

  it("shows the server's reason when a section still holds drinks", async () => {
    const api = setup([drink()]);
    vi.mocked(api.deleteSection).mockRejectedValue(
      new ApiError(409, "section_not_empty", "The section still has drinks; move or delete them first"),
    );

    await userEvent.click(await screen.findByRole("button", { name: "Delete section Classics" }));
    const dialog = screen.getByRole("dialog");
    await userEvent.click(within(dialog).getByRole("button", { name: "Delete section" }));

    expect(await within(dialog).findByRole("alert")).toHaveTextContent("The section still has drinks");
    expect(api.deleteSection).toHaveBeenCalledWith("s1");
  });

  it("shows the server's field error for a drink name it refuses", async () => {
    const api = setup([]);
    const refused = "Names can't contain invisible or direction-changing characters (U+202E)";
    vi.mocked(api.createDrink).mockRejectedValue(
      new ApiError(400, "validation_error", "The request is not valid", { name: refused }),
    );
    await userEvent.click(await screen.findByRole("button", { name: "Add drink" }));
    const dialog = screen.getByRole("dialog", { name: "Add drink" });

    await userEvent.type(within(dialog).getByLabelText("Name"), "\u202eevil");
    await userEvent.type(within(dialog).getByLabelText("Ingredient name"), "Gin");
    await userEvent.click(within(dialog).getByRole("button", { name: "Save drink" }));

    expect(await within(dialog).findByRole("alert")).toHaveTextContent(`name: ${refused}`);
    expect(screen.getByRole("dialog", { name: "Add drink" })).toBeInTheDocument();
  });
});
