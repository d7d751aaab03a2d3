// Invite-code form and display rules (API.md, identity).

import type { CodeInput } from "../api/barkeep";
import type { RegistrationCode } from "../api/types";
import { lengthProblem, wholeNumber, type Checked } from "./forms";

export interface CodeForm {
  maxUses: string;
  validHours: string;
  notes: string;
}

export type CodeField = keyof CodeForm;

export const DEFAULT_CODE_FORM: CodeForm = { maxUses: "50", validHours: "12", notes: "" };

export function validateCodeForm(form: CodeForm): Checked<CodeInput, CodeField> {
  const errors: Partial<Record<CodeField, string>> = {};
  const maxUses = wholeNumber(form.maxUses, "Max uses", 1, 500);
  if (typeof maxUses === "string") errors.maxUses = maxUses;
  const validHours = wholeNumber(form.validHours, "Valid for (hours)", 1, 168);
  if (typeof validHours === "string") errors.validHours = validHours;
  const notes = form.notes.trim();
  const notesProblem = lengthProblem(notes, "Notes", 0, 200);
  if (notesProblem) errors.notes = notesProblem;
  if (typeof maxUses === "string" || typeof validHours === "string" || notesProblem) return { ok: false, errors };
  return { ok: true, value: { max_uses: maxUses, valid_hours: validHours, ...(notes ? { notes } : {}) } };
}

/** A revoked or expired code can't be revoked (again); a used-up one still can, for the record. */
export function canRevoke(code: RegistrationCode): boolean {
  return code.status === "active" || code.status === "used_up";
}

export function usesText(code: RegistrationCode): string {
  return `${code.use_count} / ${code.max_uses}`;
}

export function usesLeft(code: RegistrationCode): number {
  return Math.max(0, code.max_uses - code.use_count);
}

export function newestFirst(codes: RegistrationCode[]): RegistrationCode[] {
  return [...codes].sort((a, b) => Date.parse(b.created_at) - Date.parse(a.created_at));
}

export function printPath(code: string): string {
  return `/admin/codes/${encodeURIComponent(code)}/print`;
}
