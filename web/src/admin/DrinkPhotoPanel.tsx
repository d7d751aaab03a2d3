import { useEffect, useRef, useState, type ChangeEvent, type ReactNode } from "react";
import { ApiError } from "../api/http";
import type { Drink } from "../api/types";
import { useLater, useResource } from "../app/hooks";
import { useServices } from "../app/services";
import { ErrorNote, Loading, ProgressBar, formatDateTime } from "../ui/components";
import { IMAGE_TYPES, imageFileProblem } from "./drinkForm";
import { FieldError } from "./FieldError";
import { uploadDrinkPhoto } from "./drinkPhoto";

// The AI works from a queue: re-read this long after asking, by which time it's usually done.
const PROMPT_REREAD_MS = 4_000;
const IMAGE_REREAD_MS = [5_000, 15_000];

/** `uploadError`: the photo chosen in "Add drink" did not make it (the drink itself is saved). */
export function DrinkPhotoPanel({
  drink,
  onChanged,
  uploadError = null,
}: {
  drink: Drink;
  onChanged: () => void;
  uploadError?: unknown;
}) {
  return (
    <div className="photo-panel">
      <section aria-labelledby="drink-photo-heading">
        <h3 id="drink-photo-heading">Drink photo</h3>
        {drink.image_url ? (
          <img className="drink-photo large" src={drink.image_url} alt={`Photo of ${drink.name}`} />
        ) : (
          <p className="muted">No photo yet: upload one or let the AI make one.</p>
        )}
        <PhotoUpload drink={drink} onChanged={onChanged} initialError={uploadError} />
      </section>
      <AiPromptPanel drink={drink} onChanged={onChanged} />
    </div>
  );
}

function PhotoUpload({ drink, onChanged, initialError }: { drink: Drink; onChanged: () => void; initialError: unknown }) {
  const { api } = useServices();
  const [progress, setProgress] = useState<number | null>(null);
  const [error, setError] = useState<unknown>(initialError);
  const [done, setDone] = useState(false);

  const choose = async (event: ChangeEvent<HTMLInputElement>) => {
    const input = event.target;
    const file = input.files?.[0];
    if (!file) return;
    setError(null);
    setDone(false);
    const problem = imageFileProblem(file);
    if (problem) {
      setError(new Error(problem));
      input.value = "";
      return;
    }
    setProgress(0);
    try {
      await uploadDrinkPhoto(api, drink.id, file, setProgress);
      setDone(true);
      onChanged();
    } catch (caught) {
      setError(caught);
    } finally {
      setProgress(null);
      input.value = ""; // choosing the same file again should upload again
    }
  };

  return (
    <div className="field">
      <PhotoFileInput id="drink-photo-file" onChange={(event) => void choose(event)} progress={progress}>
        JPEG, PNG or WebP, at most 5 MiB. It replaces the current photo.
      </PhotoFileInput>
      <div role="status">{done && <p className="note success">Photo uploaded.</p>}</div>
      <ErrorNote error={error} />
    </div>
  );
}

/** The "Photo" file field, its hint (`children`), and the upload's progress while one runs. */
export function PhotoFileInput({
  id,
  onChange,
  progress,
  problem,
  children,
}: {
  id: string;
  onChange: (event: ChangeEvent<HTMLInputElement>) => void;
  progress: number | null;
  /** Why the chosen file was refused, shown as the field's error. */
  problem?: string | null;
  children: ReactNode;
}) {
  return (
    <>
      <label htmlFor={id}>Photo</label>
      <input
        id={id}
        type="file"
        accept={IMAGE_TYPES.join(",")}
        onChange={onChange}
        disabled={progress !== null}
        aria-describedby={`${id}-hint${problem ? ` ${id}-error` : ""}`}
        aria-invalid={problem ? true : undefined}
      />
      <small id={`${id}-hint`}>{children}</small>
      <FieldError id={id} message={problem ?? undefined} />
      {progress !== null && <ProgressBar value={progress} label="Uploading photo" />}
    </>
  );
}

function AiPromptPanel({ drink, onChanged }: { drink: Drink; onChanged: () => void }) {
  const { api } = useServices();
  const prompt = useResource(() => api.aiAdmin.imagePrompt(drink.id), [api, drink.id]);
  const later = useLater();
  const [note, setNote] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const waitingFor = useRef<string | null | undefined>(undefined);

  // The queued photo arrived (ImageGenerated → menu → realtime → the list): say so.
  useEffect(() => {
    if (waitingFor.current !== undefined && drink.image_url !== waitingFor.current) {
      waitingFor.current = undefined;
      setNote("The new photo is in place.");
    }
  }, [drink.image_url]);

  const queue = async (kind: "prompt" | "image") => {
    setBusy(true);
    setError(null);
    try {
      if (kind === "prompt") {
        await api.aiAdmin.regeneratePrompt(drink.id);
        setNote("Queued… the new prompt shows up here in a few seconds.");
        later(() => {
          void prompt.reload();
          setNote("");
        }, PROMPT_REREAD_MS);
      } else {
        await api.aiAdmin.generateImage(drink.id);
        waitingFor.current = drink.image_url;
        setNote("Queued… the new photo appears here when it's ready.");
        // Realtime normally brings it; these re-reads cover a missed event.
        for (const ms of IMAGE_REREAD_MS) later(onChanged, ms);
        later(() => void prompt.reload(), PROMPT_REREAD_MS); // a missing prompt is written first
      }
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  };

  const missing = prompt.error instanceof ApiError && prompt.error.status === 404;

  return (
    <section className="card" aria-labelledby="ai-prompt-heading">
      <h3 id="ai-prompt-heading">AI photo prompt</h3>
      {prompt.loading && !prompt.data ? (
        <Loading />
      ) : missing ? (
        <p className="muted">
          No prompt yet — it is written a few seconds after the drink is created.{" "}
          <button type="button" className="link" onClick={() => void prompt.reload()}>
            Check again
          </button>
        </p>
      ) : prompt.error ? (
        <ErrorNote error={prompt.error} onRetry={() => void prompt.reload()} />
      ) : (
        prompt.data && (
          <dl className="prompt-details">
            <dt>Prompt</dt>
            <dd>{prompt.data.prompt}</dd>
            <dt>Negative prompt</dt>
            <dd>{prompt.data.negative_prompt || "—"}</dd>
            <dt>Model</dt>
            <dd>
              <code>{prompt.data.model_id}</code>
            </dd>
            <dt>Generated</dt>
            <dd>{formatDateTime(prompt.data.generated_at)}</dd>
          </dl>
        )
      )}
      <div className="actions">
        <button type="button" onClick={() => void queue("prompt")} disabled={busy}>
          Regenerate prompt
        </button>
        <button type="button" onClick={() => void queue("image")} disabled={busy}>
          Generate photo
        </button>
      </div>
      <div role="status">{note && <p className="note">{note}</p>}</div>
      <ErrorNote error={error} />
    </section>
  );
}
