// Dates, times and numbers for a locale: the one place the app calls Intl for them.

/** What the screens format with: times, dates, numbers in the chosen language. */
export interface Formats {
  /** "20:15" or "8:15 PM", as the locale writes a time of day. */
  time: (iso: string) => string;
  /** "21:30": a bar calls times on a 24-hour clock, whatever the locale would say. */
  clock: (iso: string) => string;
  /** "22 Nov 2026, 20:15". */
  dateTime: (iso: string) => string;
  number: (value: number) => string;
}

const cache = new Map<string, Formats>();

export function formatsFor(tag: string): Formats {
  const known = cache.get(tag);
  if (known) return known;
  const time = new Intl.DateTimeFormat(tag, { timeStyle: "short" }); // "8:15 PM", not "08:15 PM"
  const clock = new Intl.DateTimeFormat(tag, { hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
  const dateTime = new Intl.DateTimeFormat(tag, { dateStyle: "medium", timeStyle: "short" });
  const number = new Intl.NumberFormat(tag);
  const formats: Formats = {
    time: (iso) => time.format(new Date(iso)),
    clock: (iso) => clock.format(new Date(iso)),
    dateTime: (iso) => dateTime.format(new Date(iso)),
    number: (value) => number.format(value),
  };
  cache.set(tag, formats);
  return formats;
}
