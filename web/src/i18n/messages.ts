// The shape every catalogue has: a message is a string with {placeholders}, or plural forms
// chosen by Intl.PluralRules for {count}. English (en.ts) is the source; the other catalogues
// are typed `Messages`, so a missing or extra key fails the type check.

import type { en } from "./en";

/** The CLDR plural categories English and Swedish use; a language with more adds them here. */
export interface Plural {
  one: string;
  other: string;
}

export type Entry = string | Plural;

export type Key = keyof typeof en;

export type Messages = { [K in Key]: (typeof en)[K] extends string ? string : Plural };

/** The {names} in a message, from the English literal: `t("x", {…})` must give each of them. */
type Names<S> = S extends `${string}{${infer Name}}${infer Rest}` ? Name | Names<Rest> : never;
export type ParamNames<K extends Key> = (typeof en)[K] extends Plural
  ? Names<(typeof en)[K]["other"]> | Names<(typeof en)[K]["one"]> | "count"
  : Names<(typeof en)[K]>;
