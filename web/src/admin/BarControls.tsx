// The bar's settings on the kitchen display: whether guests may order (open, last call, paused
// with a reason and a time it reopens), and the wait colours. One row on the server, so every
// display and every guest's phone shows the same.

import { useState } from "react";
import type { BarSettingsPatch, BarSettings, Ordering } from "../api/types";
import { ErrorNote, formatTime } from "../ui/components";
import { ORDERING_LABEL, reopensAt, waitPatch } from "./kitchen";
import type { Bar } from "./live";

/** "Ordering open", "Last call", "Ordering paused until 22:30" as a coloured pill. */
export function BarState({ bar, live = true }: { bar: BarSettings | undefined; live?: boolean }) {
  if (!bar) return null;
  return (
    <span className={`pill ordering-${bar.ordering}`} role={live ? "status" : undefined}>
      {ORDERING_LABEL[bar.ordering]}
      {bar.ordering === "paused" && bar.reopens_at ? ` until ${formatTime(bar.reopens_at)}` : ""}
    </span>
  );
}

// The forms are keyed by the settings' `updated_at`: a change made on another display refills
// them, while the popover around them stays open.

export function OrderingControls({ bar }: { bar: Bar }) {
  return (
    <details className="bar-controls">
      {/* The summary is the bar's state, so the head of the display needs no second pill. */}
      <summary aria-label={bar.bar ? undefined : "Ordering"}>
        {bar.bar ? <BarState bar={bar.bar} live={false} /> : "Ordering"}
      </summary>
      <OrderingForm key={bar.bar?.updated_at ?? "unread"} bar={bar} />
    </details>
  );
}

function OrderingForm({ bar }: { bar: Bar }) {
  const current = bar.bar;
  const [message, setMessage] = useState(current?.message ?? "");
  const [reopens, setReopens] = useState("");
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const save = async (patch: BarSettingsPatch) => {
    setBusy(true);
    setError(null);
    try {
      await bar.update(patch);
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  };
  const set = (ordering: Ordering) =>
    void save({
      ordering,
      message: message.trim(),
      ...(ordering === "paused" ? { reopens_at: reopensAt(reopens, new Date()) } : { reopens_at: null }),
    });

  return (
    <div className="popover">
      {!current && <p className="muted">The bar's settings could not be read: try again in a moment.</p>}
      <div className="field">
        <label htmlFor="bar-message">Message for guests</label>
        <input
          id="bar-message"
          maxLength={200}
          value={message}
          placeholder="Kitchen is catching up"
          onChange={(e) => setMessage(e.target.value)}
        />
      </div>
      <div className="field">
        <label htmlFor="bar-reopens">Reopens at (when paused, optional)</label>
        <input id="bar-reopens" type="time" value={reopens} onChange={(e) => setReopens(e.target.value)} />
      </div>
      <div className="actions">
        {(["open", "last_call", "paused"] as Ordering[]).map((ordering) => (
          <button
            key={ordering}
            type="button"
            className={ordering === "paused" ? "danger" : ordering === "open" ? "primary" : undefined}
            aria-pressed={current?.ordering === ordering}
            disabled={busy || !current}
            onClick={() => set(ordering)}
          >
            {{ open: "Reopen ordering", last_call: "Last call", paused: "Pause ordering" }[ordering]}
          </button>
        ))}
      </div>
      <ErrorNote error={error} />
    </div>
  );
}

export function WaitColourControls({ bar }: { bar: Bar }) {
  return (
    <details className="bar-controls">
      <summary>
        Wait colours
        {bar.bar && (
          <span className="muted">
            {" "}
            {Math.round(bar.bar.wait_warn_seconds / 60)}/{Math.round(bar.bar.wait_late_seconds / 60)} min
          </span>
        )}
      </summary>
      <WaitColourForm key={bar.bar?.updated_at ?? "unread"} bar={bar} />
    </details>
  );
}

function WaitColourForm({ bar }: { bar: Bar }) {
  const current = bar.bar;
  const [warn, setWarn] = useState(String(Math.round((current?.wait_warn_seconds ?? 300) / 60)));
  const [late, setLate] = useState(String(Math.round((current?.wait_late_seconds ?? 600) / 60)));
  const [problem, setProblem] = useState<unknown>(null);

  const save = async () => {
    const patch = waitPatch(warn, late);
    if (typeof patch === "string") return setProblem(new Error(patch));
    setProblem(null);
    try {
      await bar.update(patch);
    } catch (caught) {
      setProblem(caught);
    }
  };

  return (
    <form
      className="popover"
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <p className="muted">For the whole bar: every display uses these.</p>
      <div className="row">
        <div className="field">
          <label htmlFor="warn-minutes">Amber after (minutes)</label>
          <input id="warn-minutes" inputMode="numeric" value={warn} onChange={(e) => setWarn(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="late-minutes">Red after (minutes)</label>
          <input id="late-minutes" inputMode="numeric" value={late} onChange={(e) => setLate(e.target.value)} />
        </div>
      </div>
      <div className="actions">
        <button type="submit" className="primary" disabled={!current}>
          Save colours
        </button>
      </div>
      <ErrorNote error={problem} />
    </form>
  );
}
