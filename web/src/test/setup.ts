import "@testing-library/jest-dom/vitest";
import { setLocale } from "../i18n";

// Every test starts in English (jsdom's navigator says en-US); a test that switches resets here.
afterEach(() => setLocale("en", { remember: false }));
