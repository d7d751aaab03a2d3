/// <reference types="vitest/config" />
import react from "@vitejs/plugin-react";
import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { defineConfig, type Plugin } from "vite";
import { en } from "./src/i18n/en.ts";
import { sv } from "./src/i18n/sv.ts";

// `npm run dev` proxies the API, the realtime emulator and config.json to a running `make dev`
// stack, so the UI can be worked on with hot reload; `make dev` itself serves the built `dist/`.
const stack = process.env.BARKEEP_STACK ?? "http://localhost:8080";

/** Writes dist/sw.js: sw/sw.js with this build's id and its app shell (every built file and
 * everything in public/) in front, so each build is a new worker with its own cache (ADR 0034). */
// The words a pushed notification is written in (sw.js), from the app's own catalogues: the
// worker shows what the open app would show, in the language the guest chose (ADR 0036, 0037).
const WORKER_KEYS = ["ready.title", "ready.titleNumbered", "ready.body", "ready.pushFallback"] as const;
const WORKER_MESSAGES = Object.fromEntries(
  Object.entries({ en, sv }).map(([locale, messages]) => [
    locale,
    Object.fromEntries(WORKER_KEYS.map((key) => [key, messages[key]])),
  ]),
);

function serviceWorker(): Plugin {
  const source = fileURLToPath(new URL("./sw/sw.js", import.meta.url));
  const publicDir = fileURLToPath(new URL("./public", import.meta.url));
  return {
    name: "barkeep-service-worker",
    apply: "build",
    enforce: "post",
    generateBundle(_options, bundle) {
      const template = readFileSync(source, "utf8");
      const built = Object.keys(bundle).filter((name) => !name.endsWith(".map") && name !== "index.html");
      const copied = readdirSync(publicDir, { recursive: true, withFileTypes: true })
        .filter((entry) => entry.isFile())
        .map((entry) => `${entry.parentPath}/${entry.name}`.slice(publicDir.length + 1));
      const precache = ["/", ...[...built, ...copied].sort().map((name) => `/${name}`)];
      const html = bundle["index.html"];
      const id = createHash("sha256")
        .update(template)
        .update(JSON.stringify(WORKER_MESSAGES))
        .update(JSON.stringify(precache))
        .update(html?.type === "asset" ? html.source : "")
        .digest("hex")
        .slice(0, 12);
      this.emitFile({
        type: "asset",
        fileName: "sw.js",
        source:
          `const BUILD = ${JSON.stringify(id)};\nconst PRECACHE = ${JSON.stringify(precache)};\n` +
          `const MESSAGES = ${JSON.stringify(WORKER_MESSAGES)};\n\n${template}`,
      });
    },
  };
}

export default defineConfig({
  plugins: [react(), serviceWorker()],
  server: {
    proxy: {
      "/config.json": stack,
      "/api": stack,
      "/event": { target: stack, ws: true },
    },
  },
  build: { sourcemap: true, chunkSizeWarningLimit: 400 },
  test: {
    environment: "jsdom",
    globals: true,
    setupFiles: ["src/test/setup.ts"],
    include: ["src/**/*.test.{ts,tsx}"],
  },
});
