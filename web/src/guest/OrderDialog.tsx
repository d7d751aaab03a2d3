import { useEffect, useRef, useState, type FormEvent } from "react";
import { Link } from "react-router";
import { withRetries } from "../app/retry";
import { ErrorNote, Modal, errorText } from "../ui/components";
import { useGuestOrders } from "./GuestLayout";

const MAX_QUANTITY = 3;

/** Quantity and notes, then "Place order". One idempotency key per dialog, so a double tap or a
 * retry never orders twice: a tap that fails for want of the bar (no network, a 5xx, a 503
 * while its database is away) waits and is sent again by itself with the same key, and the API
 * answers a repeat with the order the first one placed. */
export function OrderForm({ drinkId, drinkName, onDone }: { drinkId: string; drinkName: string; onDone: () => void }) {
  const { place } = useGuestOrders();
  const [key] = useState(() => crypto.randomUUID());
  const [quantity, setQuantity] = useState(1);
  const [notes, setNotes] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [placed, setPlaced] = useState(false);
  const [waiting, setWaiting] = useState<string | null>(null);
  const done = useRef<HTMLDivElement>(null);
  const closed = useRef(new AbortController());
  useEffect(() => done.current?.focus(), [placed]); // the form is gone: focus what replaced it
  useEffect(() => {
    const controller = new AbortController();
    closed.current = controller;
    return () => controller.abort(); // the dialog closed: stop trying (a re-read finds the order)
  }, []);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await withRetries(() => place(drinkId, quantity, notes.trim(), key), {
        signal: closed.current.signal,
        onRetry: (failure) => setWaiting(`${errorText(failure)} Your order will be sent again in a moment…`),
      });
      if (!closed.current.signal.aborted) setPlaced(true);
    } catch (caught) {
      if (!closed.current.signal.aborted) setError(caught);
    } finally {
      if (!closed.current.signal.aborted) {
        setBusy(false);
        setWaiting(null);
      }
    }
  };

  if (placed) {
    return (
      <div ref={done} tabIndex={-1}>
        <p className="note success" role="status">
          Ordered {quantity} × {drinkName}. We'll let you know the moment it's ready.
        </p>
        <div className="actions">
          <button type="button" onClick={onDone}>
            Back to the menu
          </button>
          <Link className="button primary" to="/orders" onClick={onDone}>
            See my orders
          </Link>
        </div>
      </div>
    );
  }

  return (
    <form onSubmit={submit}>
      <div className="field">
        <span id="quantity-label" className="label">
          <strong>Quantity</strong>
        </span>
        <div className="stepper" role="group" aria-labelledby="quantity-label">
          <button type="button" aria-label="One less" disabled={quantity <= 1} onClick={() => setQuantity((q) => q - 1)}>
            −
          </button>
          <output aria-live="polite">{quantity}</output>
          <button type="button" aria-label="One more" disabled={quantity >= MAX_QUANTITY} onClick={() => setQuantity((q) => q + 1)}>
            +
          </button>
        </div>
      </div>
      <div className="field">
        <label htmlFor="order-notes">Notes for the bartender</label>
        <textarea
          id="order-notes"
          maxLength={200}
          placeholder="Less ice, no garnish…"
          value={notes}
          onChange={(e) => setNotes(e.target.value)}
        />
        <small>{200 - notes.length} characters left</small>
      </div>
      {waiting && (
        <p className="note" role="status">
          {waiting}
        </p>
      )}
      <ErrorNote error={error} />
      <div className="actions">
        <button type="submit" className="primary" disabled={busy}>
          {waiting ? "Trying again…" : busy ? "Ordering…" : "Place order"}
        </button>
      </div>
    </form>
  );
}

export function OrderDialog({ drinkId, drinkName, onClose }: { drinkId: string; drinkName: string; onClose: () => void }) {
  return (
    <Modal title={`Order ${drinkName}`} onClose={onClose}>
      <OrderForm drinkId={drinkId} drinkName={drinkName} onDone={onClose} />
    </Modal>
  );
}
