// An invite code typed by hand from the printed sheet. Identity makes codes of 12 characters
// from an alphabet with no 0/o or 1/l/i (services/identity/chalicelib/domain.py) and accepts
// `[a-z0-9]{4,32}`; the sheet prints them in lower case, spaced out. A phone capitalises the
// first letter, people type the spaces they see, and some paste the whole join link: all of
// that is the same code.

import { translate, type Translator } from "../i18n";

export const CODE_MIN = 4;
export const CODE_MAX = 32;

/** The code in what the guest typed or pasted, as identity spells it. */
export function normaliseCode(typed: string): string {
  const fromLink = /[?&]code=([^&#\s]*)/i.exec(typed);
  let raw = typed;
  if (fromLink) {
    try {
      raw = decodeURIComponent(fromLink[1]!);
    } catch {
      raw = fromLink[1]!;
    }
  }
  return raw
    .normalize("NFKC") // full-width letters from some keyboards
    .toLowerCase()
    .replace(/[^a-z0-9]/g, "")
    .slice(0, CODE_MAX);
}

/** Why the code cannot be right, before asking identity; null when it may be. */
export function codeProblem(code: string, tr: Translator = translate()): string | null {
  if (code.length === 0) return tr.t("join.codeMissing");
  if (code.length < CODE_MIN) return tr.t("join.codeTooShort");
  return null;
}
