// Building blocks used across the guest and admin screens.

import { useEffect, useId, useRef, useState, type ReactNode } from "react";
import { ApiError } from "../api/http";
import type { OrderStatus } from "../api/types";
import { useOnline } from "../app/online";
import type { ConnectionState } from "../realtime/client";
import { apiMessage, translate, useT, type Translator } from "../i18n";

export function ConnectionBadge({ state }: { state: ConnectionState }) {
  // A socket can look open for a while after the network went (a dead TCP connection reports
  // nothing): "Live" must never show while the browser itself says it is offline.
  const online = useOnline();
  const { t } = useT();
  if (state === "idle" && online) return null; // this screen follows no channel
  const live = online && state === "live";
  const label = t(
    !online ? "connection.offline" : live ? "connection.live" : state === "connecting" ? "connection.connecting" : "connection.reconnecting",
  );
  return (
    <span className={`badge connection ${live ? "is-live" : "is-down"}`} role="status" aria-live="polite">
      <span className="dot" aria-hidden="true" />
      {label}
    </span>
  );
}

/** An error for a person: the field errors when the server named them, else `apiMessage`. */
export function errorText(error: unknown, tr: Translator = translate()): string {
  if (error instanceof ApiError) {
    return Object.keys(error.fields).length > 0 ? error.friendly : apiMessage(error.code, error.message, tr);
  }
  if (error instanceof Error) return error.message;
  return tr.t("common.somethingWrong");
}

export function ErrorNote({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const tr = useT();
  if (!error) return null;
  return (
    <div className="note error" role="alert">
      <span>{errorText(error, tr)}</span>
      {onRetry && (
        <button type="button" className="link" onClick={onRetry}>
          {tr.t("common.tryAgain")}
        </button>
      )}
    </div>
  );
}

export function Loading({ label }: { label?: string }) {
  const { t } = useT();
  return (
    <p className="loading" role="status">
      {label ?? t("common.loading")}
    </p>
  );
}

/** A modal dialog: labelled, focus moved in and given back, Escape and the backdrop close it. */
export function Modal({
  title,
  onClose,
  children,
  wide = false,
}: {
  title: string;
  onClose: () => void;
  children: ReactNode;
  wide?: boolean;
}) {
  const titleId = useId();
  const panel = useRef<HTMLDivElement>(null);
  const { t } = useT();
  const close = useRef(onClose);
  close.current = onClose;

  useEffect(() => {
    const opener = document.activeElement as HTMLElement | null;
    // A form's first field, or else the dialog itself: focusing a button at the bottom of a
    // long dialog would scroll its title away, and a textarea would pop up a phone's keyboard.
    const first = panel.current?.querySelector<HTMLElement>("[autofocus], input:not([type=hidden]), select");
    (first ?? panel.current)?.focus();
    const onKey = (event: KeyboardEvent) => {
      if (event.key === "Escape") close.current();
      if (event.key === "Tab" && panel.current) trapFocus(panel.current, event);
    };
    document.addEventListener("keydown", onKey);
    return () => {
      document.removeEventListener("keydown", onKey);
      // Back to whatever opened the dialog, or, if that is gone (a cancelled ticket), the page.
      if (opener?.isConnected) opener.focus();
      else focusMain();
    };
  }, []);

  return (
    <div className="backdrop" onMouseDown={(event) => event.target === event.currentTarget && onClose()}>
      <div
        ref={panel}
        className={`modal ${wide ? "wide" : ""}`}
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        tabIndex={-1}
      >
        <header className="modal-head">
          <h2 id={titleId}>{title}</h2>
          <button type="button" className="modal-close icon" aria-label={t("common.close")} onClick={onClose}>
            ×
          </button>
        </header>
        {children}
      </div>
    </div>
  );
}

function focusMain(): void {
  const main = document.getElementById("main");
  if (!main) return;
  if (!main.hasAttribute("tabindex")) main.setAttribute("tabindex", "-1");
  main.focus();
}

function trapFocus(container: HTMLElement, event: KeyboardEvent): void {
  const focusable = [
    ...container.querySelectorAll<HTMLElement>("a[href], button, input, select, textarea, [tabindex='0']"),
  ].filter((element) => !element.hasAttribute("disabled"));
  if (focusable.length === 0) return;
  const first = focusable[0]!;
  const last = focusable[focusable.length - 1]!;
  const at = focusable.indexOf(document.activeElement as HTMLElement);
  // Wrap at either end, and pull focus back in when it sits on the panel itself or outside.
  if (event.shiftKey && at <= 0) {
    event.preventDefault();
    last.focus();
  } else if (!event.shiftKey && (at === -1 || at === focusable.length - 1)) {
    event.preventDefault();
    first.focus();
  }
}

/** "Are you sure?" for an action that may fail: while `onConfirm` runs the button is disabled;
 * if it throws, the dialog stays open and says why (say, a 409 from the service). */
export function ConfirmDialog({
  title,
  message,
  confirmLabel,
  cancelLabel,
  onConfirm,
  onCancel,
}: {
  title: string;
  message: ReactNode;
  confirmLabel: string;
  cancelLabel?: string;
  onConfirm: () => unknown;
  onCancel: () => void;
}) {
  const { t } = useT();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const confirm = async () => {
    setBusy(true);
    setError(null);
    try {
      await onConfirm();
    } catch (caught) {
      setError(caught);
      setBusy(false);
    }
  };
  return (
    <Modal title={title} onClose={onCancel}>
      <div className="modal-body">{message}</div>
      <ErrorNote error={error} />
      <div className="actions">
        <button type="button" onClick={onCancel}>
          {cancelLabel ?? t("common.keepIt")}
        </button>
        <button type="button" className="danger" onClick={() => void confirm()} disabled={busy}>
          {confirmLabel}
        </button>
      </div>
    </Modal>
  );
}

export function ProgressBar({ value, label }: { value: number; label: string }) {
  return (
    <div className="progress" role="progressbar" aria-label={label} aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(value * 100)}>
      <div className="progress-fill" style={{ width: `${Math.round(value * 100)}%` }} />
    </div>
  );
}

const ORDER_STATUSES: readonly string[] = ["pending", "preparing", "ready", "served", "cancelled"] satisfies OrderStatus[];

/** An order's status in the current language; another kind (an invite code's) as it is. */
export function StatusPill({ status }: { status: string }) {
  const { t } = useT();
  const label = ORDER_STATUSES.includes(status) ? t(`status.${status as OrderStatus}`) : status.replace("_", " ");
  return <span className={`pill status-${status}`}>{label}</span>;
}

/** "20:15" (or "8:15 PM"), in the current language. */
export function formatTime(iso: string): string {
  return translate().format.time(iso);
}

export function formatDateTime(iso: string): string {
  return translate().format.dateTime(iso);
}

/** A wide table that scrolls sideways inside its own box on a phone; keyboard users can focus
 * the box to scroll it (WCAG: scrollable regions must be reachable). */
export function TableWrap({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="table-wrap" role="region" aria-label={label} tabIndex={0}>
      {children}
    </div>
  );
}

/** The Barkeep glass, drawn inline: emoji fonts are not on every screen (kiosks, Linux). */
export function GlassIcon({ size = 40 }: { size?: number }) {
  return (
    <svg width={size} height={size} viewBox="0 0 64 64" aria-hidden="true" focusable="false">
      <path d="M14 14h36L34 34v14h8v4H22v-4h8V34z" fill="currentColor" />
    </svg>
  );
}
