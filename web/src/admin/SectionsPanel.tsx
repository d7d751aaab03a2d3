import { useState } from "react";
import { useCheckedSubmit } from "./useCheckedSubmit";
import type { Drink, Section } from "../api/types";
import { useServices } from "../app/services";
import { ConfirmDialog, ErrorNote, Modal, TableWrap } from "../ui/components";
import {
  SECTION_LIMITS,
  nextDisplayOrder,
  sectionToForm,
  sortSections,
  validateSectionForm,
  type SectionField,
  type SectionForm,
} from "./drinkForm";
import { FieldError, describedBy } from "./FieldError";

type Editing = { section: Section | null } | null;

/** The menu's sections: listed in menu order, added, renamed, reordered and deleted. */
export function SectionsPanel({
  sections,
  drinks,
  onChanged,
}: {
  sections: Section[];
  drinks: Drink[];
  onChanged: (message: string) => void;
}) {
  const [editing, setEditing] = useState<Editing>(null);
  const [deleting, setDeleting] = useState<Section | null>(null);
  const countIn = (section: Section) => drinks.filter((drink) => drink.section_id === section.id).length;

  return (
    <section className="card" aria-labelledby="sections-heading">
      <div className="page-head">
        <h2 id="sections-heading">Sections</h2>
        <button type="button" onClick={() => setEditing({ section: null })}>
          Add section
        </button>
      </div>
      {sections.length === 0 ? (
        <p className="muted">No sections yet. Every drink belongs to one, so add a section first.</p>
      ) : (
        <TableWrap label="Sections">
          <table>
            <thead>
              <tr>
                <th scope="col">Order</th>
                <th scope="col">Name</th>
                <th scope="col">Description</th>
                <th scope="col">Drinks</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {sortSections(sections).map((section) => (
                <tr key={section.id}>
                  <td>{section.display_order}</td>
                  <td>{section.name}</td>
                  <td className="muted">{section.description}</td>
                  <td>{countIn(section)}</td>
                  <td className="cell-actions">
                    <button type="button" className="link" onClick={() => setEditing({ section })} aria-label={`Edit section ${section.name}`}>
                      Edit
                    </button>
                    <button type="button" className="link" onClick={() => setDeleting(section)} aria-label={`Delete section ${section.name}`}>
                      Delete
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
      {editing && (
        <SectionModal
          section={editing.section}
          defaultOrder={nextDisplayOrder(sections)}
          onClose={() => setEditing(null)}
          onSaved={(saved) => {
            setEditing(null);
            onChanged(`Section “${saved.name}” saved.`);
          }}
        />
      )}
      {deleting && (
        <DeleteSectionDialog
          section={deleting}
          drinkCount={countIn(deleting)}
          onCancel={() => setDeleting(null)}
          onDeleted={() => {
            setDeleting(null);
            onChanged(`Section “${deleting.name}” deleted.`);
          }}
        />
      )}
    </section>
  );
}

function SectionModal({
  section,
  defaultOrder,
  onClose,
  onSaved,
}: {
  section: Section | null;
  defaultOrder: number;
  onClose: () => void;
  onSaved: (section: Section) => void;
}) {
  const { api } = useServices();
  const [form, setForm] = useState<SectionForm>(() =>
    section ? sectionToForm(section) : { name: "", description: "", displayOrder: String(defaultOrder) },
  );
  const set = (field: SectionField) => (event: { target: { value: string } }) =>
    setForm((current) => ({ ...current, [field]: event.target.value }));

  const { errors, busy, error, submit } = useCheckedSubmit(
    () => validateSectionForm(form),
    async (value) =>
      onSaved(section ? await api.menuAdmin.updateSection(section.id, value) : await api.menuAdmin.createSection(value)),
  );

  return (
    <Modal title={section ? `Edit section ${section.name}` : "Add section"} onClose={onClose}>
      <form onSubmit={submit} noValidate>
        <div className="field">
          <label htmlFor="section-name">Name</label>
          <input
            id="section-name"
            maxLength={SECTION_LIMITS.name}
            value={form.name}
            onChange={set("name")}
            {...describedBy("section-name", errors.name)}
          />
          <FieldError id="section-name" message={errors.name} />
        </div>
        <div className="field">
          <label htmlFor="section-description">Description</label>
          <textarea
            id="section-description"
            maxLength={SECTION_LIMITS.description}
            value={form.description}
            onChange={set("description")}
            {...describedBy("section-description", errors.description)}
          />
          <FieldError id="section-description" message={errors.description} />
        </div>
        <div className="field">
          <label htmlFor="section-order">Display order</label>
          <input
            id="section-order"
            type="number"
            inputMode="numeric"
            value={form.displayOrder}
            onChange={set("displayOrder")}
            aria-describedby={errors.displayOrder ? "section-order-error" : "section-order-hint"}
            aria-invalid={errors.displayOrder ? true : undefined}
          />
          <small id="section-order-hint">Lower numbers come first on the menu.</small>
          <FieldError id="section-order" message={errors.displayOrder} />
        </div>
        <ErrorNote error={error} />
        <div className="actions">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={busy}>
            {busy ? "Saving…" : "Save section"}
          </button>
        </div>
      </form>
    </Modal>
  );
}

function DeleteSectionDialog({
  section,
  drinkCount,
  onCancel,
  onDeleted,
}: {
  section: Section;
  drinkCount: number;
  onCancel: () => void;
  onDeleted: () => void;
}) {
  const { api } = useServices();
  return (
    <ConfirmDialog
      title={`Delete section ${section.name}?`}
      message={
        <>
          <p>
            {drinkCount > 0
              ? `It still holds ${drinkCount} drink${drinkCount === 1 ? "" : "s"}; only an empty section can be deleted.`
              : "The section disappears from the menu."}
          </p>
        </>
      }
      confirmLabel="Delete section"
      onConfirm={async () => {
        // 409 section_not_empty: the dialog stays open with the server's reason.
        await api.menuAdmin.deleteSection(section.id);
        onDeleted();
      }}
      onCancel={onCancel}
    />
  );
}
