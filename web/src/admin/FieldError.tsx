// A field's validation message, tied to its control with aria-describedby / aria-invalid so a
// screen reader reads it when the field gets focus.

export function describedBy(id: string, message: string | undefined) {
  return message ? { "aria-invalid": true as const, "aria-describedby": `${id}-error` } : {};
}

export function FieldError({ id, message }: { id: string; message: string | undefined }) {
  if (!message) return null;
  return (
    <small id={`${id}-error`} className="field-error">
      {message}
    </small>
  );
}
