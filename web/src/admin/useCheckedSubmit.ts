// The admin forms' submit: check the fields here first (errors shown next to each one), then
// send; while sending the button is busy, and a refusal from the service is kept to show.

import { useState, type FormEvent } from "react";
import type { Checked } from "./forms";

export function useCheckedSubmit<T, F extends string>(check: () => Checked<T, F>, send: (value: T) => Promise<void>) {
  const [errors, setErrors] = useState<Partial<Record<F, string>>>({});
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const checked = check();
    setErrors(checked.ok ? {} : checked.errors);
    setError(null);
    if (!checked.ok) return;
    setBusy(true);
    try {
      await send(checked.value);
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  };

  return { errors, busy, error, submit };
}
