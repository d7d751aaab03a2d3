// The app's languages: English (the source catalogue) and Swedish, chosen from the browser's
// languages and overridden by the switcher, remembered on this device (ADR 0037).
//
// The current language is one small store: `t()` reads it anywhere (pure helpers that build
// sentences take the translator the component got from `useT()`), and `useT()` re-renders a
// component when the language changes. <html lang> follows it.

import { Fragment, useSyncExternalStore, type ReactNode } from "react";
import { en } from "./en";
import { formatsFor, type Formats } from "./format";
import type { Key, Messages, ParamNames, Plural } from "./messages";
import { sv } from "./sv";

export type { Key, Messages } from "./messages";

export const LOCALES = ["en", "sv"] as const;
export type Locale = (typeof LOCALES)[number];

const CATALOGUES: Record<Locale, Messages> = { en, sv };

/** Each language named in itself, as a switcher lists them. */
export const LANGUAGE_NAMES: Record<Locale, string> = { en: "English", sv: "Svenska" };

const STORAGE_KEY = "barkeep.locale";

const isLocale = (value: unknown): value is Locale => LOCALES.includes(value as Locale);

/** The first of the browser's languages the app speaks ("sv-FI" is Swedish), else English. */
export function detectLocale(languages: readonly string[]): Locale {
  for (const tag of languages) {
    const language = tag.toLowerCase().split("-")[0];
    if (isLocale(language)) return language;
  }
  return "en";
}

function browserLanguages(): readonly string[] {
  if (typeof navigator === "undefined") return [];
  return navigator.languages?.length ? navigator.languages : [navigator.language].filter(Boolean);
}

function savedLocale(): Locale | null {
  try {
    const saved = localStorage.getItem(STORAGE_KEY);
    return isLocale(saved) ? saved : null;
  } catch {
    return null; // storage refused (a private mode): the browser's choice it is
  }
}

/** The tag dates and numbers are formatted with: the browser's own ("en-GB", "sv-FI") when
 * it is of the chosen language, else the language's usual one. */
export function formatTag(locale: Locale, languages: readonly string[] = browserLanguages()): string {
  const own = languages.find((tag) => tag.toLowerCase().split("-")[0] === locale);
  return own ?? { en: "en", sv: "sv-SE" }[locale];
}

type Params<K extends Key> = Record<ParamNames<K>, string | number>;
type Args<K extends Key> = [ParamNames<K>] extends [never] ? [] : [params: Params<K>];
type RichArgs<K extends Key> = [ParamNames<K>] extends [never] ? [] : [params: Record<ParamNames<K>, ReactNode>];

export interface Translator {
  locale: Locale;
  /** The message for `key` with its {placeholders} filled in; numbers are formatted for the
   * locale, and a plural message picks its form by `count`. */
  t: <K extends Key>(key: K, ...params: Args<K>) => string;
  /** The same, with React nodes (a link, <strong>) for placeholders. */
  rich: <K extends Key>(key: K, ...params: RichArgs<K>) => ReactNode;
  format: Formats;
}

const PLACEHOLDER = /\{(\w+)\}/g;

function translator(locale: Locale, catalogue: Messages): Translator {
  const format = formatsFor(formatTag(locale));
  const plurals = new Intl.PluralRules(formatTag(locale));
  const pick = (key: Key, params: Record<string, unknown>): string => {
    const entry = catalogue[key] as string | Plural;
    if (typeof entry === "string") return entry;
    const count = Number(params.count);
    return plurals.select(count) === "one" ? entry.one : entry.other;
  };
  const show = (value: unknown) => (typeof value === "number" ? format.number(value) : String(value ?? ""));
  const t = (key: Key, params: Record<string, unknown> = {}) =>
    pick(key, params).replace(PLACEHOLDER, (whole, name: string) => (name in params ? show(params[name]) : whole));
  const rich = (key: Key, params: Record<string, unknown> = {}): ReactNode => {
    const parts = pick(key, params).split(PLACEHOLDER);
    // split() with a group: text, name, text, name, … ; the names sit at the odd indexes.
    return parts.map((part, i) =>
      i % 2 === 0 ? part : <Fragment key={i}>{typeof params[part] === "number" ? show(params[part]) : (params[part] as ReactNode)}</Fragment>,
    );
  };
  return { locale, t: t as Translator["t"], rich: rich as Translator["rich"], format };
}

const ENGLISH = translator("en", en);
let current: Translator = ENGLISH;

/** What the server (or the network) said, for a person. English shows the server's own words,
 * often more precise; another language shows the catalogue's `error.<code>`, or the server's
 * English for a code the catalogue does not have. */
export function apiMessage(code: string, message: string, tr: Translator = current): string {
  const key = `error.${code}`;
  if (tr.locale === "en" || !(key in en)) return message;
  return tr.t(key as Key & `error.${string}`);
}

/** English whatever the current language: for the admin screens that are English only. */
export function english(): Translator {
  return ENGLISH;
}
const listeners = new Set<() => void>();

/** Use `catalogue` instead of the locale's own (the tests' pseudo-locale). */
export function setLocale(locale: Locale, options: { remember?: boolean; catalogue?: Messages } = {}): void {
  const { remember = true, catalogue } = options;
  current = translator(locale, catalogue ?? CATALOGUES[locale]);
  if (typeof document !== "undefined") document.documentElement.lang = locale;
  if (remember) {
    try {
      localStorage.setItem(STORAGE_KEY, locale);
    } catch {
      // not remembered: the next visit asks the browser again
    }
  }
  listeners.forEach((listener) => listener());
}

/** At start: the language chosen on this device before, else the browser's. */
export function startLocale(): Locale {
  const locale = savedLocale() ?? detectLocale(browserLanguages());
  setLocale(locale, { remember: false });
  return locale;
}

export function translate(): Translator {
  return current;
}

/** Calls `listener` after every change of language; returns how to stop. */
export function onLocaleChange(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** The translator for the current language; the component re-renders when it changes. */
export function useT(): Translator {
  return useSyncExternalStore(onLocaleChange, translate);
}

/** The language switcher: a select in the header of the guest app and the bar's displays.
 * `compact` (a phone's header, where a full name does not fit beside the guest's) lists the
 * codes, "EN" / "SV", each in its own language, with the current one's full name on hover. */
export function LanguageSwitcher({ compact = false }: { compact?: boolean }) {
  const { t, locale } = useT();
  return (
    <select
      className={`language-switcher${compact ? " compact" : ""}`}
      aria-label={t("language.label")}
      title={compact ? LANGUAGE_NAMES[locale] : undefined}
      value={locale}
      onChange={(event) => isLocale(event.target.value) && setLocale(event.target.value)}
    >
      {LOCALES.map((code) => (
        <option key={code} value={code} lang={code}>
          {compact ? code.toUpperCase() : LANGUAGE_NAMES[code]}
        </option>
      ))}
    </select>
  );
}
