import js from "@eslint/js";
import tseslint from "typescript-eslint";

// Only collectors and emitters talk to Azure; the rest of the engine stays pure.
const pureLayers = [
  "src/audit/policy/**",
  "src/audit/rules/**",
  "src/audit/report/**",
  "src/audit/findings/**",
  "src/audit/snapshot/**",
];

export default tseslint.config(
  { ignores: ["dist/**", "node_modules/**", "coverage/**"] },
  js.configs.recommended,
  ...tseslint.configs.strict,
  {
    languageOptions: {
      globals: { process: "readonly", console: "readonly", URL: "readonly" },
    },
    rules: {
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/consistent-type-imports": "error",
      "max-lines": ["error", { max: 400, skipBlankLines: true, skipComments: true }],
      "max-lines-per-function": ["error", { max: 60, skipBlankLines: true, skipComments: true }],
    },
  },
  {
    files: ["test/**"],
    rules: {
      "max-lines-per-function": "off",
      "@typescript-eslint/no-non-null-assertion": "off",
    },
  },
  {
    files: pureLayers,
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["@azure/*", "@opentelemetry/*"],
              message: "Pure layers never import an SDK.",
            },
            {
              group: ["node:fs*", "node:http*", "node:net", "fs", "http", "https"],
              message: "Pure layers do no I/O.",
            },
          ],
        },
      ],
    },
  },
);
