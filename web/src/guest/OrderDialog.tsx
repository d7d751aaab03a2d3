import { useEffect, useRef, useState, type FormEvent } from "react";
import { Link } from "react-router";
import { ErrorNote, Modal } from "../ui/components";
import { useGuestOrders } from "./GuestLayout";

const MAX_QUANTITY = 3;

/** Quantity and notes, then "Place order". One idempotency key per dialog, so a double tap or a
 * retry after a timeout never orders twice. */
export function OrderForm({ drinkId, drinkName, onDone }: { drinkId: string; drinkName: string; onDone: () => void }) {
  const { place } = useGuestOrders();
  const [key] = useState(() => crypto.randomUUID());
  const [quantity, setQuantity] = useState(1);
  const [notes, setNotes] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [placed, setPlaced] = useState(false);
  const done = useRef<HTMLDivElement>(null);
  useEffect(() => done.current?.focus(), [placed]); // the form is gone: focus what replaced it

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await place(drinkId, quantity, notes.trim(), key);
      setPlaced(true);
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
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
      <ErrorNote error={error} />
      <div className="actions">
        <button type="submit" className="primary" disabled={busy}>
          {busy ? "Ordering…" : "Place order"}
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
