// Shared helpers for the admin forms: inputs arrive as text, the API wants typed, bounded values.
// Checking here first turns a round trip and a terse 400 into a message next to the field.

export type Checked<T, F extends string = string> =
  | { ok: true; value: T }
  | { ok: false; errors: Partial<Record<F, string>> };

/** A whole number typed into a field, or a sentence saying why it isn't acceptable. */
export function wholeNumber(text: string, label: string, min: number, max: number): number | string {
  const trimmed = text.trim();
  if (trimmed === "") return `${label} is required.`;
  if (!/^[-+]?\d+$/.test(trimmed)) return `${label} must be a whole number.`;
  const value = Number(trimmed);
  if (value < min || value > max) return `${label} must be between ${min} and ${max}.`;
  return value;
}

/** Why a (trimmed) text is too short or too long for the API, or null when it fits. */
export function lengthProblem(value: string, label: string, min: number, max: number): string | null {
  // Count code points, as the server does, so an emoji is one character and not two.
  const length = [...value].length;
  if (length < min) return min === 1 ? `${label} is required.` : `${label} needs at least ${min} characters.`;
  if (length > max) return `${label} can be at most ${max} characters (now ${length}).`;
  return null;
}
