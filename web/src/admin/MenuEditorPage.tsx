import { useCallback, useState } from "react";
import type { Drink, Section } from "../api/types";
import { useChannel, useResource, useThrottled } from "../app/hooks";
import { useServices } from "../app/services";
import { ConfirmDialog, ErrorNote, Loading, TableWrap } from "../ui/components";
import { DrinkFormModal } from "./DrinkFormModal";
import { groupDrinks, sortSections } from "./drinkForm";
import { unknownIngredientsWarning } from "./ingredientCheck";
import { SectionsPanel } from "./SectionsPanel";

/** `photoError`: a drink just added whose photo did not upload (its editor says so). */
type Editing = { drink: Drink | null; sectionId: string; photoError?: Error } | null;
type DrinkFlag = "is_active" | "sold_out";
const FLAG_NOTICE: Record<DrinkFlag, (name: string, on: boolean) => string> = {
  is_active: (name, on) => `${name} is ${on ? "back on" : "off"} the menu.`,
  sold_out: (name, on) => (on ? `${name} is sold out: guests see it, but can't order it.` : `${name} can be ordered again.`),
};

export function MenuEditorPage() {
  const { api, realtime } = useServices();
  const sections = useResource(() => api.menu.sections(), [api]);
  const drinks = useResource(() => api.menuAdmin.drinks(), [api]);
  const [editing, setEditing] = useState<Editing>(null);
  const [deleting, setDeleting] = useState<Drink | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState("");

  const { reload: reloadSections } = sections;
  const { reload: reloadDrinks, setData: setDrinks } = drinks;
  const reload = useCallback(() => {
    void reloadSections();
    void reloadDrinks();
  }, [reloadSections, reloadDrinks]);
  // Another screen's edit (or the AI's new photo) arrives as MENU_CHANGED; bursts come in
  // when a whole menu is seeded, hence at most one re-read a second.
  const reloadSoon = useThrottled(reload, 1000);
  useChannel(realtime, "/menu/updates", realtime.apiKeyAuth, reloadSoon, reload);

  const changed = (message: string) => {
    setNotice(message);
    setError(null);
    reload();
  };

  // A switch moves at once; guests' menus follow the PATCH, and a refusal puts it back.
  const setFlag = async (drink: Drink, flag: DrinkFlag, value: boolean) => {
    const patch = (to: boolean) => (list: Drink[] | undefined) =>
      list?.map((item) => (item.id === drink.id ? { ...item, [flag]: to } : item));
    setError(null);
    setDrinks(patch(value));
    try {
      await api.menuAdmin.updateDrink(drink.id, { [flag]: value });
      setNotice(FLAG_NOTICE[flag](drink.name, value));
    } catch (caught) {
      setDrinks(patch(Boolean(drink[flag])));
      setError(caught);
    }
    void reloadDrinks();
  };

  const sectionList = sections.data ?? [];
  const drinkList = drinks.data ?? [];
  // The editor follows the live list (new photo, another screen's edit) while it is open.
  const editingDrink = editing?.drink ? (drinkList.find((drink) => drink.id === editing.drink!.id) ?? editing.drink) : null;

  return (
    <>
      <div className="page-head">
        <h1>Menu</h1>
        <button
          type="button"
          className="primary"
          disabled={sectionList.length === 0}
          onClick={() => setEditing({ drink: null, sectionId: sortSections(sectionList)[0]?.id ?? "" })}
        >
          Add drink
        </button>
      </div>
      <div role="status">{notice && <p className="note success">{notice}</p>}</div>
      <ErrorNote error={error} />
      <ErrorNote error={sections.error ?? drinks.error} onRetry={reload} />
      {(sections.loading && !sections.data) || (drinks.loading && !drinks.data) ? (
        <Loading />
      ) : (
        <>
          <DrinkTables
            sections={sectionList}
            drinks={drinkList}
            onToggle={(drink, flag, value) => void setFlag(drink, flag, value)}
            onEdit={(drink) => setEditing({ drink, sectionId: drink.section_id })}
            onDelete={setDeleting}
            onAdd={(section) => setEditing({ drink: null, sectionId: section.id })}
          />
          <SectionsPanel sections={sectionList} drinks={drinkList} onChanged={changed} />
        </>
      )}
      {editing && (
        <DrinkFormModal
          key={editing.drink?.id ?? "new"}
          drink={editingDrink}
          sections={sectionList}
          defaultSectionId={editing.sectionId}
          onClose={() => setEditing(null)}
          onSaved={(saved) => {
            setEditing(null);
            changed(`${saved.name} saved.`);
          }}
          onChanged={reload}
          photoError={editing.photoError}
          onPhotoFailed={(created, photoError) => {
            setEditing({ drink: created, sectionId: created.section_id, photoError });
            reload();
          }}
        />
      )}
      {deleting && (
        <DeleteDrinkDialog
          drink={deleting}
          onCancel={() => setDeleting(null)}
          onDeleted={() => {
            setDeleting(null);
            changed(`${deleting.name} deleted.`);
          }}
        />
      )}
    </>
  );
}

function DrinkTables({
  sections,
  drinks,
  onToggle,
  onEdit,
  onDelete,
  onAdd,
}: {
  sections: Section[];
  drinks: Drink[];
  onToggle: (drink: Drink, flag: DrinkFlag, value: boolean) => void;
  onEdit: (drink: Drink) => void;
  onDelete: (drink: Drink) => void;
  onAdd: (section: Section) => void;
}) {
  if (sections.length === 0 && drinks.length === 0) {
    return <p className="muted">The menu is empty. Add a section below, then its drinks.</p>;
  }
  return (
    <>
      {groupDrinks(sections, drinks).map(({ section, drinks: group }) => {
        const title = section?.name ?? "Without a section";
        return (
          <section key={section?.id ?? "none"} className="card" aria-label={`Drinks: ${title}`}>
            <div className="page-head">
              <h2>{title}</h2>
              {section && (
                <button type="button" className="chip" onClick={() => onAdd(section)} aria-label={`Add drink to ${title}`}>
                  + Add drink
                </button>
              )}
            </div>
            {group.length === 0 ? (
              <p className="muted">No drinks in this section yet.</p>
            ) : (
              <TableWrap label={`Drinks in ${title}`}>
                <table>
                  <thead>
                    <tr>
                      <th scope="col">Name</th>
                      <th scope="col">On the menu</th>
                      <th scope="col">Tonight</th>
                      <th scope="col">
                        <span className="visually-hidden">Actions</span>
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {group.map((drink) => (
                      <tr key={drink.id} className={drink.is_active ? undefined : "is-inactive"}>
                        <td>
                          {drink.name}
                          {!drink.image_url && <span className="muted"> · no photo</span>}
                          <UnknownIngredients drink={drink} />
                        </td>
                        <td>
                          <label className="check">
                            <input
                              type="checkbox"
                              checked={drink.is_active}
                              onChange={(event) => onToggle(drink, "is_active", event.target.checked)}
                              aria-label={`Available: ${drink.name}`}
                            />
                            Available
                          </label>
                        </td>
                        <td>
                          <label className="check">
                            <input
                              type="checkbox"
                              checked={Boolean(drink.sold_out)}
                              disabled={!drink.is_active}
                              onChange={(event) => onToggle(drink, "sold_out", event.target.checked)}
                              aria-label={`Sold out: ${drink.name}`}
                            />
                            Sold out
                          </label>
                        </td>
                        <td className="cell-actions">
                          <button type="button" className="link" onClick={() => onEdit(drink)} aria-label={`Edit ${drink.name}`}>
                            Edit
                          </button>
                          <button type="button" className="link" onClick={() => onDelete(drink)} aria-label={`Delete ${drink.name}`}>
                            Delete
                          </button>
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </TableWrap>
            )}
          </section>
        );
      })}
    </>
  );
}

/** The server's flag: an ingredient its vocabulary does not know keeps the drink off every diet. */
function UnknownIngredients({ drink }: { drink: Drink }) {
  const warning = unknownIngredientsWarning(drink.facts?.unknown_ingredients ?? []);
  return warning ? <p className="unknown-ingredients">{warning}</p> : null;
}

function DeleteDrinkDialog({ drink, onCancel, onDeleted }: { drink: Drink; onCancel: () => void; onDeleted: () => void }) {
  const { api } = useServices();
  return (
    <ConfirmDialog
      title={`Delete ${drink.name}?`}
      message={
        <>
          <p>
            It disappears from the menu for good. Orders already placed keep its name. To take it off the menu for
            tonight only, untick “Available” instead.
          </p>
        </>
      }
      confirmLabel="Delete drink"
      onConfirm={async () => {
        await api.menuAdmin.deleteDrink(drink.id);
        onDeleted();
      }}
      onCancel={onCancel}
    />
  );
}
