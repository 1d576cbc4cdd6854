// ESLint (flat config) for the site, the browser tests and the in-browser benchmark: the
// recommended rules, with the globals of where each file runs. Run by `cargo xtask test`
// (and `npx eslint`).
import js from "@eslint/js";
import globals from "globals";

export default [
  { ignores: ["pkg/**", "target/**", "node_modules/**", "**/target/**"] },
  js.configs.recommended,
  {
    files: ["www/**/*.js", "bench/**/*.js", "bench/**/*.mjs"],
    languageOptions: { ecmaVersion: 2024, sourceType: "module", globals: { ...globals.browser } },
  },
  {
    files: ["www/**/*worker*.js"],
    languageOptions: { globals: { ...globals.worker } },
  },
  {
    // Node scripts (build scripts under www/ included) and those that drive Chromium: the functions they hand to page.evaluate run in the page.
    files: ["tests/**/*.mjs", "bench/browser.mjs", "eslint.config.mjs", "www/**/*.mjs"],
    languageOptions: { ecmaVersion: 2024, sourceType: "module", globals: { ...globals.node, ...globals.browser } },
  },
  {
    rules: {
      "no-unused-vars": ["error", { argsIgnorePattern: "^_", ignoreRestSiblings: true, caughtErrors: "none" }],
    },
  },
];
