// The bar's settings on the kitchen display: whether guests may order (open, last call, paused
// with a reason and a time it reopens), and the wait colours. One row on the server, so every
// display and every guest's phone shows the same.

import { useState } from "react";
import type { BarSettingsPatch, BarSettings, Ordering } from "../api/types";
import { useT } from "../i18n";
import { ErrorNote } from "../ui/components";
import { reopensAt, waitPatch } from "./kitchen";
import type { Bar } from "./live";

/** "Ordering open", "Last call", "Ordering paused until 22:30" as a coloured pill. */
export function BarState({ bar, live = true }: { bar: BarSettings | undefined; live?: boolean }) {
  const { t, format } = useT();
  if (!bar) return null;
  return (
    <span className={`pill ordering-${bar.ordering}`} role={live ? "status" : undefined}>
      {bar.ordering === "paused" && bar.reopens_at
        ? t("ordering.pausedUntil", { time: format.time(bar.reopens_at) })
        : t(`ordering.${bar.ordering}`)}
    </span>
  );
}

// The forms are keyed by the settings' `updated_at`: a change made on another display refills
// them, while the popover around them stays open.

export function OrderingControls({ bar }: { bar: Bar }) {
  const { t } = useT();
  return (
    <details className="bar-controls">
      {/* The summary is the bar's state, so the head of the display needs no second pill. */}
      <summary aria-label={bar.bar ? undefined : t("ordering.summary")}>
        {bar.bar ? <BarState bar={bar.bar} live={false} /> : t("ordering.summary")}
      </summary>
      <OrderingForm key={bar.bar?.updated_at ?? "unread"} bar={bar} />
    </details>
  );
}

function OrderingForm({ bar }: { bar: Bar }) {
  const current = bar.bar;
  const { t } = useT();
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
      {!current && <p className="muted">{t("ordering.unread")}</p>}
      <div className="field">
        <label htmlFor="bar-message">{t("ordering.message")}</label>
        <input
          id="bar-message"
          maxLength={200}
          value={message}
          placeholder={t("ordering.messagePlaceholder")}
          onChange={(e) => setMessage(e.target.value)}
        />
      </div>
      <div className="field">
        <label htmlFor="bar-reopens">{t("ordering.reopens")}</label>
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
            {t(`ordering.set.${ordering}`)}
          </button>
        ))}
      </div>
      <ErrorNote error={error} />
    </div>
  );
}

export function WaitColourControls({ bar }: { bar: Bar }) {
  const { t } = useT();
  return (
    <details className="bar-controls">
      <summary>
        {t("wait.summary")}
        {bar.bar && (
          <span className="muted">
            {" "}
            {t("wait.minutes", {
              warn: Math.round(bar.bar.wait_warn_seconds / 60),
              late: Math.round(bar.bar.wait_late_seconds / 60),
            })}
          </span>
        )}
      </summary>
      <WaitColourForm key={bar.bar?.updated_at ?? "unread"} bar={bar} />
    </details>
  );
}

function WaitColourForm({ bar }: { bar: Bar }) {
  const current = bar.bar;
  const tr = useT();
  const { t } = tr;
  const [warn, setWarn] = useState(String(Math.round((current?.wait_warn_seconds ?? 300) / 60)));
  const [late, setLate] = useState(String(Math.round((current?.wait_late_seconds ?? 600) / 60)));
  const [problem, setProblem] = useState<unknown>(null);

  const save = async () => {
    const patch = waitPatch(warn, late, tr);
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
      <p className="muted">{t("wait.forTheBar")}</p>
      <div className="row">
        <div className="field">
          <label htmlFor="warn-minutes">{t("wait.amberAfter")}</label>
          <input id="warn-minutes" inputMode="numeric" value={warn} onChange={(e) => setWarn(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="late-minutes">{t("wait.redAfter")}</label>
          <input id="late-minutes" inputMode="numeric" value={late} onChange={(e) => setLate(e.target.value)} />
        </div>
      </div>
      <div className="actions">
        <button type="submit" className="primary" disabled={!current}>
          {t("wait.save")}
        </button>
      </div>
      <ErrorNote error={problem} />
    </form>
  );
}
