// Every catalogue says every message, in its own words, with the same {placeholders}; the
// translator picks plural forms, fills placeholders and formats for the language.

import { forgetGuestCaches } from "../app/cache";
import { en } from "./en";
import { apiMessage, detectLocale, formatTag, LOCALES, setLocale, translate, type Messages } from "./index";
import type { Entry, Key, Plural } from "./messages";
import { sv } from "./sv";

const CATALOGUES: Record<string, Messages> = { sv };

/** The same in Swedish as in English, on purpose: names, key caps, loanwords. */
const SAME_IN_EVERY_LANGUAGE = new Set<Key | `${Key}#${keyof Plural}`>([
  "common.brand", // the product's name
  "connection.offline", // "Offline" and "Live" are what Swedish screens say too
  "connection.live",
  "allergen.gluten",
  "kitchen.keys.bump", // the keys' own labels
  "kitchen.keys.notReady",
  "kitchen.keys.batch",
  "kitchen.keys.undo",
  "kitchen.keys.cancel",
  "wait.minutes", // "{warn}/{late} min": "min" is Swedish too
  "kitchen.drinks#one", // "1 drink": Swedish has borrowed the word
  "amount.cl", // units of measure
  "amount.ml",
]);

const FORMS = ["one", "other"] as const;
const allowed = (key: Key, form: number, entry: Entry) =>
  SAME_IN_EVERY_LANGUAGE.has(key) || (typeof entry !== "string" && SAME_IN_EVERY_LANGUAGE.has(`${key}#${FORMS[form]!}`));

const forms = (entry: Entry): string[] => (typeof entry === "string" ? [entry] : [entry.one, entry.other]);
const names = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
/** What is left to translate once the placeholders are out: "{quantity} × {drink}" has nothing. */
const hasWords = (text: string) => /\p{L}{2,}/u.test(text.replace(/\{\w+\}/g, ""));

describe.each(Object.entries(CATALOGUES))("the %s catalogue", (_name, messages) => {
  const keys = Object.keys(en) as Key[];

  it("has exactly the English keys, each of the same kind", () => {
    expect(Object.keys(messages).sort()).toEqual([...keys].sort());
    for (const key of keys) expect([key, typeof messages[key]]).toEqual([key, typeof en[key]]);
  });

  it("translates every message that has words in it", () => {
    const untranslated = keys.filter(
      (key) =>
        forms(en[key]).some((text, i) => hasWords(text) && forms(messages[key])[i] === text && !allowed(key, i, en[key])),
    );
    expect(untranslated).toEqual([]);
  });

  it("keeps every placeholder, and invents none", () => {
    const wrong = keys.filter((key) => {
      const source = names(forms(en[key]).join(" "));
      return forms(messages[key]).some((text) => {
        const own = names(text);
        // A "one" form may say the count in words ("an open order") and leave {count} out.
        const expected = typeof en[key] === "string" ? source : source.filter((n) => n !== "count" || own.includes("count"));
        return JSON.stringify([...new Set(own)]) !== JSON.stringify([...new Set(expected)]);
      });
    });
    expect(wrong).toEqual([]);
  });

  it("has no English message pasted under another key", () => {
    const english = new Map(keys.flatMap((key) => forms(en[key]).filter(hasWords).map((text) => [text, key] as const)));
    const copied = keys.filter((key) =>
      forms(messages[key]).some((text) => english.has(text) && english.get(text) !== key && !SAME_IN_EVERY_LANGUAGE.has(key)),
    );
    expect(copied).toEqual([]);
  });
});

describe("choosing the language", () => {
  it("takes the first of the browser's languages it speaks, else English", () => {
    expect(detectLocale(["sv-SE", "en-US"])).toBe("sv");
    expect(detectLocale(["de-DE", "sv-FI", "en"])).toBe("sv");
    expect(detectLocale(["SV"])).toBe("sv");
    expect(detectLocale(["de-DE", "fr"])).toBe("en");
    expect(detectLocale([])).toBe("en");
    expect(LOCALES).toEqual(["en", "sv"]);
  });

  it("formats with the browser's own variant of the language, else the usual one", () => {
    expect(formatTag("sv", ["sv-FI", "en"])).toBe("sv-FI");
    expect(formatTag("sv", ["en-GB"])).toBe("sv-SE");
    expect(formatTag("en", ["sv-SE", "en-GB"])).toBe("en-GB");
  });

  it("is remembered on the device and said in <html lang>", () => {
    setLocale("sv");
    expect(document.documentElement.lang).toBe("sv");
    expect(localStorage.getItem("barkeep.locale")).toBe("sv");
    setLocale("en", { remember: false });
    expect(document.documentElement.lang).toBe("en");
    expect(localStorage.getItem("barkeep.locale")).toBe("sv");
    forgetGuestCaches(); // signing out: the language is the phone's, not the guest's
    expect(localStorage.getItem("barkeep.locale")).toBe("sv");
  });
});

describe("the translator", () => {
  it("picks the plural form by count and fills in the placeholders", () => {
    setLocale("sv", { remember: false });
    const { t } = translate();
    expect(t("menu.matches", { count: 1 })).toBe("1 drink passar.");
    expect(t("menu.matches", { count: 3 })).toBe("3 drinkar passar.");
    expect(t("ready.banner", { drink: "Negroni" })).toBe("Din Negroni är klar! Hämta den i baren.");
  });

  it("formats numbers, dates and times for the language", () => {
    setLocale("sv", { remember: false });
    const sv = translate();
    const space = (text: string) => text.replace(/\s/g, " "); // Swedish groups with a no-break space
    expect(space(sv.format.number(1234.5))).toBe("1 234,5");
    expect(space(sv.t("kitchen.orders", { count: 1500 }))).toBe("1 500 beställningar");
    const at = new Date(2026, 10, 22, 20, 5).toISOString();
    expect(sv.format.clock(at)).toBe("20:05");
    expect(space(sv.format.dateTime(at))).toBe("22 nov. 2026 20:05");
    setLocale("en", { remember: false });
    expect(translate().format.number(1234.5)).toBe("1,234.5");
  });
});

describe("what the server said", () => {
  it("is the server's own message in English, the code's translation in Swedish, else the server's", () => {
    expect(apiMessage("sold_out", "Negroni is sold out")).toBe("Negroni is sold out");
    setLocale("sv", { remember: false });
    expect(apiMessage("sold_out", "Negroni is sold out")).toBe("Den drinken tog just slut.");
    expect(apiMessage("network_error", "Can't reach the bar right now.")).toBe("Når inte baren just nu. Kontrollera din anslutning.");
    expect(apiMessage("brand_new_code", "Something new")).toBe("Something new");
    expect(apiMessage("generic", "Server words")).toBe("Server words"); // not a code the API sends
  });
});
