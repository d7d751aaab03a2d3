/// <reference types="vitest/config" />
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

// `npm run dev` proxies the API, the realtime emulator and config.json to a running `make dev`
// stack, so the UI can be worked on with hot reload; `make dev` itself serves the built `dist/`.
const stack = process.env.BARKEEP_STACK ?? "http://localhost:8080";

export default defineConfig({
  plugins: [react()],
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
