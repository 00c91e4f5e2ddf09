import eslint from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  {
    ignores: [
      "node_modules/",
      "cdktf.out/",
      ".gen/",
      "build/",
      "coverage/",
      ".tools/",
      "**/*.js",
      "**/*.mjs",
    ],
  },
  eslint.configs.recommended,
  tseslint.configs.strict,
  {
    rules: {
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/consistent-type-imports": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_" }],
      // cdktf constructs are created for their side effect on the construct tree.
      "no-new": "off",
    },
  },
);
