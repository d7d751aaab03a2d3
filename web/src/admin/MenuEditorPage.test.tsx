import { act, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { uploadToS3 } from "../api/barkeep";
import { ApiError } from "../api/http";
import type { Drink, Section } from "../api/types";
import { fakeServices, renderAt } from "../test/fakeServices";
import { aDrink } from "../test/fixtures";
import { MenuEditorPage } from "./MenuEditorPage";

vi.mock("../api/barkeep", async (original) => ({
  ...(await original<typeof import("../api/barkeep")>()),
  uploadToS3: vi.fn(), // the image store is S3: no XMLHttpRequest leaves a unit test
}));

const drink = aDrink;
const SECTIONS: Section[] = [{ id: "s1", name: "Classics", description: "", display_order: 10 }];


const VOCABULARY = [
  { name: "gin", contains: ["alcohol", "spirit:gin"] },
  { name: "campari", contains: ["alcohol", "spirit:liqueur", "sugar"] },
  { name: "lime juice", contains: [] },
];
const UNKNOWN_CORDIAL =
  "Not in the ingredient vocabulary: Grandma's cordial. Guests won't see this drink as safe for any diet until it is known.";

function setup(drinks: Drink[], vocabulary: () => Promise<unknown> = () => Promise.resolve(VOCABULARY)) {
  const services = fakeServices();
  services.api.menu.sections = vi.fn().mockResolvedValue(SECTIONS);
  services.api.menu.ingredients = vi.fn(vocabulary) as typeof services.api.menu.ingredients;
  const api = services.api.menuAdmin;
  api.drinks = vi.fn().mockResolvedValue(drinks);
  api.createDrink = vi.fn().mockResolvedValue(drink({ id: "d2", name: "Martini" }));
  api.updateDrink = vi.fn();
  api.deleteSection = vi.fn();
  renderAt("/admin/menu", <MenuEditorPage />, services);
  return api;
}

afterEach(() => vi.restoreAllMocks());

const photo = () => new File([new Uint8Array([137, 80, 78, 71])], "martini.png", { type: "image/png" });
const GRANT = { upload: { url: "http://s3/bucket", fields: { key: "drinks/d2.png" } }, image_url: "http://img/drinks/d2.png", expires_in: 300 };

/** "Add drink", a valid Martini, and a photo chosen before it is saved. */
async function addMartiniWithPhoto() {
  URL.createObjectURL = vi.fn(() => "blob:preview");
  URL.revokeObjectURL = vi.fn();
  await userEvent.click(await screen.findByRole("button", { name: "Add drink" }));
  const dialog = screen.getByRole("dialog", { name: "Add drink" });
  await userEvent.type(within(dialog).getByLabelText("Name"), "Martini");
  await userEvent.type(within(dialog).getByLabelText("Ingredient name"), "Gin");
  await userEvent.upload(within(dialog).getByLabelText("Photo"), photo());
  expect(within(dialog).getByRole("img", { name: "The photo you chose" })).toHaveAttribute("src", "blob:preview");
  await userEvent.click(within(dialog).getByRole("button", { name: "Save drink" }));
}

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

  it("adds a drink with its photo in one go: creates it, then uploads the photo onto it", async () => {
    const api = setup([]);
    api.imageUpload = vi.fn().mockResolvedValue(GRANT);
    vi.mocked(api.updateDrink).mockResolvedValue(drink({ id: "d2", name: "Martini", image_url: GRANT.image_url }));
    vi.mocked(uploadToS3).mockResolvedValue();

    await addMartiniWithPhoto();

    await waitFor(() => expect(screen.queryByRole("dialog")).not.toBeInTheDocument());
    expect(api.createDrink).toHaveBeenCalledTimes(1);
    expect(api.imageUpload).toHaveBeenCalledWith("d2", "image/png");
    expect(vi.mocked(uploadToS3).mock.calls[0]![0]).toBe(GRANT.upload);
    expect(api.updateDrink).toHaveBeenCalledWith("d2", { image_url: GRANT.image_url });
    expect(screen.getByRole("status")).toHaveTextContent("Martini saved.");
  });

  it("keeps a new drink whose photo did not upload, and opens its editor to choose the photo again", async () => {
    const api = setup([]);
    api.imageUpload = vi.fn().mockResolvedValue(GRANT);
    vi.mocked(uploadToS3).mockRejectedValue(new Error("The upload failed: check your connection."));

    await addMartiniWithPhoto();

    const editor = await screen.findByRole("dialog", { name: "Edit Martini" });
    expect(
      within(editor).getByText(/Martini is saved, but its photo didn't upload: The upload failed: check your connection/),
    ).toBeInTheDocument();
    expect(within(editor).getByLabelText("Photo")).toHaveAttribute("id", "drink-photo-file");
    expect(api.createDrink).toHaveBeenCalledTimes(1);
    expect(api.updateDrink).not.toHaveBeenCalled();
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

  it("flags a drink whose ingredients the vocabulary does not know, on its row", async () => {
    setup([
      drink(),
      drink({
        id: "d2",
        name: "Cordial Fizz",
        ingredients: [{ name: "Grandma's cordial", amount: 2, unit: "cl" }],
        facts: { contains: [], unknown_ingredients: ["Grandma's cordial"], suitable_for: [] },
      }),
    ]);
    const row = (await screen.findByText("Cordial Fizz")).closest("tr")!;
    expect(row).toHaveTextContent(UNKNOWN_CORDIAL);
    expect(screen.getByText("Negroni").closest("tr")).not.toHaveTextContent("Not in the ingredient vocabulary");
  });

  it("checks the ingredient names against the vocabulary as they are typed", async () => {
    setup([]);
    await userEvent.click(await screen.findByRole("button", { name: "Add drink" }));
    const dialog = screen.getByRole("dialog", { name: "Add drink" });
    const name = within(dialog).getByLabelText("Ingredient name");

    await userEvent.type(name, "  GIN ");
    expect(dialog).not.toHaveTextContent("Not in the ingredient vocabulary");
    await userEvent.clear(name);
    await userEvent.type(name, "Grandma's cordial");
    expect(within(dialog).getByText(UNKNOWN_CORDIAL)).toBeInTheDocument();

    await userEvent.click(within(dialog).getByRole("button", { name: "Add ingredient" }));
    await userEvent.type(within(dialog).getAllByLabelText("Ingredient name")[1]!, "Moon dust");
    expect(within(dialog).getByText(/Not in the ingredient vocabulary: Grandma's cordial, Moon dust\./)).toBeInTheDocument();

    await userEvent.clear(name);
    await userEvent.type(name, "lime   juice");
    expect(within(dialog).getByText(/Not in the ingredient vocabulary: Moon dust\./)).toBeInTheDocument();
  });

  it("falls back to the saved drink's flags when the vocabulary cannot be read", async () => {
    setup(
      [
        drink({
          ingredients: [
            { name: "Gin", amount: 3, unit: "cl" },
            { name: "Grandma's cordial", amount: 2, unit: "cl" },
          ],
          facts: { contains: ["alcohol", "spirit:gin"], unknown_ingredients: ["Grandma's cordial"], suitable_for: [] },
        }),
      ],
      () => Promise.reject(new ApiError(404, "not_found", "Not found")), // an older menu service
    );
    await userEvent.click(await screen.findByRole("button", { name: "Edit Negroni" }));
    const dialog = screen.getByRole("dialog", { name: "Edit Negroni" });
    expect(await within(dialog).findByText(UNKNOWN_CORDIAL)).toBeInTheDocument();

    await userEvent.click(within(dialog).getByRole("button", { name: "Remove ingredient 2" }));
    expect(dialog).not.toHaveTextContent("Not in the ingredient vocabulary");
  });
});
