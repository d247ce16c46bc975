// @ts-check
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["**/dist/**", "**/node_modules/**"] },
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/no-require-imports": "off",
      "no-console": ["error", { allow: ["warn", "error"] }],
      eqeqeq: ["error", "smart"],
    },
  },
  {
    // Each function does one thing a reader can hold in mind; tests may be long, the code they test may not.
    files: ["provider/**/*.ts", "emulator/**/*.ts", "scripts/**/*.ts", "stack/**/*.ts"],
    ignores: ["emulator/test/**"],
    rules: { "max-lines-per-function": ["error", { max: 60, skipBlankLines: false, skipComments: false, IIFEs: true }] },
  },
  {
    files: ["emulator/cli.ts", "emulator/test/**", "scripts/**", "examples/**", "test/**", "provider/auth/login-cli.ts", "provider/export/export-cli.ts"],
    rules: { "no-console": "off" },
  },
);
