// Shared helpers for the admin forms: inputs arrive as text, the API wants typed, bounded values.
// Checking here first turns a round trip and a terse 400 into a message next to the field.

import { english, type Translator } from "../i18n";

export type Checked<T, F extends string = string> =
  | { ok: true; value: T }
  | { ok: false; errors: Partial<Record<F, string>> };

/** A whole number typed into a field, or a sentence saying why it isn't acceptable (in English
 * unless `tr` says otherwise: the admin forms outside the kitchen display are English only). */
export function wholeNumber(text: string, label: string, min: number, max: number, { t }: Translator = english()): number | string {
  const trimmed = text.trim();
  if (trimmed === "") return t("form.required", { label });
  if (!/^[-+]?\d+$/.test(trimmed)) return t("form.wholeNumber", { label });
  const value = Number(trimmed);
  if (value < min || value > max) return t("form.between", { label, min, max });
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
