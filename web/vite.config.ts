/// <reference types="vitest/config" />
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

// `npm run dev` proxies the API to a running `cairn serve`; the build goes to web/dist, which
// `cairn serve` ships with hashed, immutable assets.
export default defineConfig({
  plugins: [react()],
  build: { outDir: "dist", emptyOutDir: true, sourcemap: false, target: "es2020" },
  server: { proxy: { "/api": process.env.CAIRN_API ?? "http://127.0.0.1:8080" } },
  test: {
    environment: "jsdom",
    globals: true,
    include: ["src/**/*.test.{ts,tsx}"],
    setupFiles: ["src/test-setup.ts"],
  },
});
