import { useEffect, useMemo, useRef, useState, type ChangeEvent } from "react";
import { useCheckedSubmit } from "./useCheckedSubmit";
import { UNITS, type Drink, type Section, type Unit } from "../api/types";
import { useResource } from "../app/hooks";
import { useServices } from "../app/services";
import { ErrorNote, Modal, errorText } from "../ui/components";
import { DrinkPhotoPanel, PhotoFileInput } from "./DrinkPhotoPanel";
import { uploadDrinkPhoto } from "./drinkPhoto";
import {
  DRINK_LIMITS,
  drinkToForm,
  emptyDrinkForm,
  imageFileProblem,
  ingredientRow,
  sortSections,
  validateDrinkForm,
  type DrinkForm,
  type IngredientRow,
} from "./drinkForm";
import { FieldError, describedBy } from "./FieldError";
import { unknownIngredients, unknownIngredientsWarning, vocabularyOf } from "./ingredientCheck";

/**
 * Add a drink (`drink` null) or edit one. `drink` is the live copy from the list, so the photo
 * follows uploads and ImageGenerated; the form itself is filled once and never overwritten
 * while the bartender types. A new drink can bring its photo: it is created, then the photo
 * uploaded, in one "Save drink"; should the upload fail, the drink is saved all the same and
 * `onPhotoFailed` turns the dialog into its editor, where the photo can be chosen again.
 */
export function DrinkFormModal({
  drink,
  sections,
  defaultSectionId,
  onClose,
  onSaved,
  onChanged,
  onPhotoFailed,
  photoError = null,
}: {
  drink: Drink | null;
  sections: Section[];
  defaultSectionId: string;
  onClose: () => void;
  onSaved: (drink: Drink) => void;
  /** Something changed outside the form (photo, prompt): re-read the list. */
  onChanged: () => void;
  /** A new drink was created but its photo did not upload. */
  onPhotoFailed: (created: Drink, error: Error) => void;
  /** Why the photo chosen when the drink was added is not on it (shown by the photo panel). */
  photoError?: unknown;
}) {
  const body = (
    <DrinkFormBody
      drink={drink}
      sections={sections}
      defaultSectionId={defaultSectionId}
      onClose={onClose}
      onSaved={onSaved}
      onPhotoFailed={onPhotoFailed}
    />
  );
  return (
    <Modal title={drink ? `Edit ${drink.name}` : "Add drink"} onClose={onClose} wide>
      {drink ? (
        <div className="editor">
          {body}
          <DrinkPhotoPanel drink={drink} onChanged={onChanged} uploadError={photoError} />
        </div>
      ) : (
        body
      )}
    </Modal>
  );
}

/** The photo chosen for a drink not saved yet: checked at once, previewed, uploaded on save. */
function NewDrinkPhoto({
  file,
  onChoose,
  progress,
}: {
  file: File | null;
  onChoose: (file: File | null) => void;
  progress: number | null;
}) {
  const [problem, setProblem] = useState<string | null>(null);
  const [preview, setPreview] = useState<string | null>(null);
  useEffect(() => {
    if (!file) return;
    const url = URL.createObjectURL(file);
    setPreview(url);
    return () => {
      URL.revokeObjectURL(url);
      setPreview(null);
    };
  }, [file]);

  const choose = (event: ChangeEvent<HTMLInputElement>) => {
    const chosen = event.target.files?.[0] ?? null;
    const why = chosen ? imageFileProblem(chosen) : null;
    setProblem(why);
    if (why) event.target.value = "";
    onChoose(why ? null : chosen);
  };

  return (
    <div className="field">
      <PhotoFileInput id="drink-new-photo" onChange={choose} progress={progress} problem={problem}>
        Optional. JPEG, PNG or WebP, at most 5 MiB; uploaded when you save. Or let the AI make one later.
      </PhotoFileInput>
      {preview && <img className="drink-photo photo-preview" src={preview} alt="The photo you chose" />}
    </div>
  );
}

function DrinkFormBody({
  drink,
  sections,
  defaultSectionId,
  onClose,
  onSaved,
  onPhotoFailed,
}: {
  drink: Drink | null;
  sections: Section[];
  defaultSectionId: string;
  onClose: () => void;
  onSaved: (drink: Drink) => void;
  onPhotoFailed: (created: Drink, error: Error) => void;
}) {
  const { api } = useServices();
  const [form, setForm] = useState<DrinkForm>(() => (drink ? drinkToForm(drink) : emptyDrinkForm(defaultSectionId)));
  const [photo, setPhoto] = useState<File | null>(null);
  const [progress, setProgress] = useState<number | null>(null);
  const formRef = useRef<HTMLFormElement>(null);
  // The names are checked as they are typed; without the vocabulary (an older server, no
  // network), the saved drink's own flags stand in.
  const vocabulary = useResource(() => api.menu.ingredients(), [api]);
  const known = useMemo(() => (vocabulary.data ? vocabularyOf(vocabulary.data) : null), [vocabulary.data]);
  const unknownWarning = unknownIngredientsWarning(unknownIngredients(form.ingredients.map((r) => r.name), known, drink));
  const drinkId = drink?.id;
  const { errors, busy, error, submit } = useCheckedSubmit(
    () => validateDrinkForm(form),
    async (value) => {
      if (drinkId) return onSaved(await api.menuAdmin.updateDrink(drinkId, value));
      const created = await api.menuAdmin.createDrink(value);
      if (!photo) return onSaved(created);
      setProgress(0);
      try {
        onSaved(await uploadDrinkPhoto(api, created.id, photo, setProgress));
      } catch (caught) {
        setProgress(null);
        onPhotoFailed(
          created,
          new Error(`${created.name} is saved, but its photo didn't upload: ${errorText(caught)} Choose it again here.`),
        );
      }
    },
  );

  // After a refused submit, take the keyboard to the first field that needs fixing.
  useEffect(() => {
    formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [errors]);

  const update = (patch: Partial<DrinkForm>) => setForm((current) => ({ ...current, ...patch }));
  const updateRow = (key: string, patch: Partial<IngredientRow>) =>
    setForm((current) => ({
      ...current,
      ingredients: current.ingredients.map((row) => (row.key === key ? { ...row, ...patch } : row)),
    }));

  const id = (name: string) => `drink-${name}`;

  return (
    <form ref={formRef} onSubmit={submit} noValidate aria-label="Drink details">
      <div className="field">
        <label htmlFor={id("name")}>Name</label>
        <input
          id={id("name")}
          maxLength={DRINK_LIMITS.name}
          value={form.name}
          onChange={(event) => update({ name: event.target.value })}
          {...describedBy(id("name"), errors.name)}
        />
        <FieldError id={id("name")} message={errors.name} />
      </div>
      <div className="field">
        <label htmlFor={id("section")}>Section</label>
        <select
          id={id("section")}
          value={form.sectionId}
          onChange={(event) => update({ sectionId: event.target.value })}
          {...describedBy(id("section"), errors.section)}
        >
          <option value="">Choose a section…</option>
          {sortSections(sections).map((section) => (
            <option key={section.id} value={section.id}>
              {section.name}
            </option>
          ))}
        </select>
        <FieldError id={id("section")} message={errors.section} />
      </div>
      <div className="field">
        <label htmlFor={id("description")}>Description</label>
        <textarea
          id={id("description")}
          maxLength={DRINK_LIMITS.description}
          value={form.description}
          onChange={(event) => update({ description: event.target.value })}
          {...describedBy(id("description"), errors.description)}
        />
        <FieldError id={id("description")} message={errors.description} />
      </div>
      <IngredientRows
        rows={form.ingredients}
        error={errors.ingredients}
        warning={unknownWarning}
        onChange={updateRow}
        onAdd={() => update({ ingredients: [...form.ingredients, ingredientRow()] })}
        onRemove={(key) => update({ ingredients: form.ingredients.filter((row) => row.key !== key) })}
      />
      <div className="field">
        <label htmlFor={id("steps")}>Recipe steps</label>
        <textarea
          id={id("steps")}
          rows={4}
          value={form.steps}
          onChange={(event) => update({ steps: event.target.value })}
          aria-describedby={`${id("steps")}-hint${errors.steps ? ` ${id("steps")}-error` : ""}`}
          aria-invalid={errors.steps ? true : undefined}
        />
        <small id={`${id("steps")}-hint`}>One step per line, up to {DRINK_LIMITS.steps}.</small>
        <FieldError id={id("steps")} message={errors.steps} />
      </div>
      <div className="field">
        <label htmlFor={id("tags")}>Tags</label>
        <input
          id={id("tags")}
          value={form.tags}
          onChange={(event) => update({ tags: event.target.value })}
          aria-describedby={`${id("tags")}-hint${errors.tags ? ` ${id("tags")}-error` : ""}`}
          aria-invalid={errors.tags ? true : undefined}
        />
        <small id={`${id("tags")}-hint`}>Comma separated, e.g. bitter, classic, stirred.</small>
        <FieldError id={id("tags")} message={errors.tags} />
      </div>
      {!drink && <NewDrinkPhoto file={photo} onChoose={setPhoto} progress={progress} />}
      <label className="check">
        <input type="checkbox" checked={form.isActive} onChange={(event) => update({ isActive: event.target.checked })} />
        Available
      </label>
      <ErrorNote error={error} />
      <div className="actions">
        <button type="button" onClick={onClose}>
          Cancel
        </button>
        <button type="submit" className="primary" disabled={busy}>
          {progress !== null ? "Uploading photo…" : busy ? "Saving…" : "Save drink"}
        </button>
      </div>
    </form>
  );
}

function IngredientRows({
  rows,
  error,
  warning,
  onChange,
  onAdd,
  onRemove,
}: {
  rows: IngredientRow[];
  error: string | undefined;
  warning: string | null;
  onChange: (key: string, patch: Partial<IngredientRow>) => void;
  onAdd: () => void;
  onRemove: (key: string) => void;
}) {
  const full = rows.length >= DRINK_LIMITS.ingredients;
  return (
    <fieldset className="field ingredients-editor" aria-describedby={error ? "drink-ingredients-error" : undefined}>
      <legend>Ingredients</legend>
      {/* Column titles for sighted users; every control also has its own (hidden) label. */}
      <div className="ingredient-row ingredient-head" aria-hidden="true">
        <span>Ingredient</span>
        <span>Amount</span>
        <span>Unit</span>
        <span />
      </div>
      {rows.map((row, index) => {
        const base = `ingredient-${row.key}`;
        const number = index + 1;
        return (
          <div key={row.key} className="ingredient-row" role="group" aria-label={`Ingredient ${number}`}>
            <div>
              <label className="visually-hidden" htmlFor={`${base}-name`}>
                Ingredient name
              </label>
              <input
                id={`${base}-name`}
                placeholder="e.g. Gin"
                maxLength={DRINK_LIMITS.ingredientName}
                value={row.name}
                onChange={(event) => onChange(row.key, { name: event.target.value })}
                {...(index === 0 ? describedBy("drink-ingredients", error) : {})}
              />
            </div>
            <div>
              <label className="visually-hidden" htmlFor={`${base}-amount`}>
                Amount
              </label>
              <input
                id={`${base}-amount`}
                inputMode="decimal"
                placeholder="Amount"
                value={row.amount}
                onChange={(event) => onChange(row.key, { amount: event.target.value })}
              />
            </div>
            <div>
              <label className="visually-hidden" htmlFor={`${base}-unit`}>
                Unit
              </label>
              <select
                id={`${base}-unit`}
                value={row.unit}
                onChange={(event) => onChange(row.key, { unit: event.target.value as Unit | "" })}
              >
                <option value="">no unit</option>
                {UNITS.map((unit) => (
                  <option key={unit} value={unit}>
                    {unit}
                  </option>
                ))}
              </select>
            </div>
            <button
              type="button"
              className="icon"
              onClick={() => onRemove(row.key)}
              disabled={rows.length === 1}
              aria-label={`Remove ingredient ${number}`}
              title="Remove"
            >
              ×
            </button>
          </div>
        );
      })}
      <FieldError id="drink-ingredients" message={error} />
      {warning && <p className="unknown-ingredients">{warning}</p>}
      <button type="button" onClick={onAdd} disabled={full}>
        Add ingredient
      </button>
      {full && <small>That's the maximum of {DRINK_LIMITS.ingredients} ingredients.</small>}
    </fieldset>
  );
}
