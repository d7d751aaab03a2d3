import { useEffect, useRef, useState, type FormEvent } from "react";
import { Link } from "react-router";
import { ApiError } from "../api/http";
import type { Order } from "../api/types";
import { orderNumber } from "../orders/state";
import { translate, useT } from "../i18n";
import { ErrorNote, Modal, errorText } from "../ui/components";
import { refusalText, whyNotOrderable } from "./bar";
import { useGuestBar, useGuestOrders } from "./GuestLayout";
import { randomUuid } from "../util/uuid";

const MAX_QUANTITY = 3;

/** Quantity and notes, then "Place order". One idempotency key per dialog, so a double tap or a
 * retry never orders twice: a tap that fails for want of the bar (no network, a 5xx, a 503
 * while its database is away) waits and is sent again by itself with the same key, and the API
 * answers a repeat with the order the first one placed. The tap is kept on the phone until it is
 * placed or refused, so a reload sends it again (GuestLayout); closing the dialog gives it up.
 * While the bar is paused, or the drink sold out, "Place order" is disabled and says why; a
 * refusal for either says so plainly (`onRefused`: the menu re-reads). */
export function OrderForm({
  drinkId,
  drinkName,
  soldOut = false,
  onDone,
  onRefused,
}: {
  drinkId: string;
  drinkName: string;
  soldOut?: boolean;
  onDone: () => void;
  onRefused?: (error: ApiError) => void;
}) {
  const { send, discard } = useGuestOrders();
  const { bar } = useGuestBar();
  const tr = useT();
  const { t } = tr;
  const [key] = useState(() => randomUuid());
  const [quantity, setQuantity] = useState(1);
  const [notes, setNotes] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [placed, setPlaced] = useState<Order | null>(null);
  const [waiting, setWaiting] = useState<string | null>(null);
  const done = useRef<HTMLDivElement>(null);
  const closed = useRef(new AbortController());
  useEffect(() => done.current?.focus(), [placed]); // the form is gone: focus what replaced it
  useEffect(() => {
    const controller = new AbortController();
    closed.current = controller;
    return () => {
      controller.abort(); // the dialog closed: stop trying (a re-read finds the order)
      discard(key); // and a reload does not send it behind the guest's back
    };
  }, [discard, key]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const pending = { drink_id: drinkId, drink_name: drinkName, quantity, notes: notes.trim(), key, saved_at: Date.now() };
      const order = await send(pending, {
        signal: closed.current.signal,
        onRetry: (failure) => {
          const now = translate();
          setWaiting(now.t("orderForm.retrying", { why: errorText(failure, now) }));
        },
      });
      if (!closed.current.signal.aborted) setPlaced(order);
    } catch (caught) {
      if (closed.current.signal.aborted) return;
      setError(caught);
      if (caught instanceof ApiError && (caught.code === "sold_out" || caught.code === "ordering_paused")) onRefused?.(caught);
    } finally {
      if (!closed.current.signal.aborted) {
        setBusy(false);
        setWaiting(null);
      }
    }
  };

  const blocked = whyNotOrderable(bar, soldOut, tr);

  if (placed) {
    return (
      <div ref={done} tabIndex={-1}>
        <p className="note success" role="status">
          {placed.number != null
            ? tr.rich("orderForm.placedNumbered", {
                what: t("order.what", { quantity, drink: drinkName }),
                number: <strong className="order-number">{orderNumber(placed)}</strong>,
              })
            : t("orderForm.placed", { what: t("order.what", { quantity, drink: drinkName }) })}
        </p>
        <div className="actions">
          <button type="button" onClick={onDone}>
            {t("orderForm.backToMenu")}
          </button>
          <Link className="button primary" to="/orders" onClick={onDone}>
            {t("orderForm.seeOrders")}
          </Link>
        </div>
      </div>
    );
  }

  return (
    <form onSubmit={submit}>
      <div className="field">
        <span id="quantity-label" className="label">
          <strong>{t("orderForm.quantity")}</strong>
        </span>
        <div className="stepper" role="group" aria-labelledby="quantity-label">
          <button type="button" aria-label={t("orderForm.oneLess")} disabled={quantity <= 1} onClick={() => setQuantity((q) => q - 1)}>
            −
          </button>
          <output aria-live="polite">{quantity}</output>
          <button type="button" aria-label={t("orderForm.oneMore")} disabled={quantity >= MAX_QUANTITY} onClick={() => setQuantity((q) => q + 1)}>
            +
          </button>
        </div>
      </div>
      <div className="field">
        <label htmlFor="order-notes">{t("orderForm.notes")}</label>
        <textarea
          id="order-notes"
          maxLength={200}
          placeholder={t("orderForm.notesPlaceholder")}
          value={notes}
          onChange={(e) => setNotes(e.target.value)}
        />
        <small>{t("orderForm.charactersLeft", { count: 200 - notes.length })}</small>
      </div>
      {waiting && (
        <p className="note" role="status">
          {waiting}
        </p>
      )}
      {error instanceof ApiError && (error.code === "sold_out" || error.code === "ordering_paused") ? (
        <p className="note error" role="alert">
          {refusalText(error, drinkName, bar, tr)}
        </p>
      ) : (
        <ErrorNote error={error} />
      )}
      {blocked && !error && (
        <p className="note" id="order-blocked">
          {blocked}
        </p>
      )}
      <div className="actions">
        <button type="submit" className="primary" disabled={busy || blocked !== null} aria-describedby={blocked ? "order-blocked" : undefined}>
          {waiting ? t("orderForm.tryingAgain") : busy ? t("orderForm.ordering") : t("orderForm.place")}
        </button>
      </div>
    </form>
  );
}

export function OrderDialog({ drinkId, drinkName, onClose }: { drinkId: string; drinkName: string; onClose: () => void }) {
  const { t } = useT();
  return (
    <Modal title={t("orderForm.title", { drink: drinkName })} onClose={onClose}>
      <OrderForm drinkId={drinkId} drinkName={drinkName} onDone={onClose} />
    </Modal>
  );
}
