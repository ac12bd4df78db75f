// Lint: TypeScript's recommended rules, drizzle's guard against update/delete without `where`, and the
// layering rules: lib/ and db/ never import Next or React (the worker and scripts load them); app/ and
// components/ never import db/ or drizzle-orm (pages and routes go through lib/).
import drizzle from "eslint-plugin-drizzle";
import tseslint from "typescript-eslint";

const noFrameworkInCore = {
  patterns: [
    {
      group: ["next", "next/*", "next-auth", "next-auth/*"],
      message: "lib/ and db/ stay framework-free: the worker and scripts load them.",
    },
    {
      group: ["react", "react-dom", "react/*", "react-dom/*"],
      message: "lib/ and db/ stay framework-free: no React here.",
    },
  ],
};
const noDatabaseInDoors = {
  patterns: [
    {
      group: ["@/db", "@/db/*", "**/db/*", "drizzle-orm", "drizzle-orm/*"],
      message: "Pages, routes and components reach data through lib/, never db/ or drizzle directly.",
    },
  ],
};

export default tseslint.config(
  {
    ignores: [
      ".next/**",
      "node_modules/**",
      ".data/**",
      "next-env.d.ts",
      "test-results/**",
      "playwright-report/**",
      "e2e/artifacts/**",
    ],
  },
  ...tseslint.configs.recommended,
  {
    plugins: { drizzle },
    rules: {
      "drizzle/enforce-update-with-where": ["error", { drizzleObjectName: ["db", "tx"] }],
      "drizzle/enforce-delete-with-where": ["error", { drizzleObjectName: ["db", "tx"] }],
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/no-explicit-any": "error",
    },
  },
  {
    files: ["lib/**", "db/**"],
    ignores: ["**/*.test.ts", "**/__tests__/**"],
    rules: { "no-restricted-imports": ["error", noFrameworkInCore] },
  },
  // Request bodies are read only by lib/http/request.ts, which counts the bytes and stops at a limit.
  {
    files: ["app/**", "lib/**", "components/**"],
    ignores: ["lib/http/request.ts", "**/*.test.ts", "**/__tests__/**"],
    rules: {
      "no-restricted-syntax": [
        "error",
        {
          selector:
            "CallExpression > MemberExpression.callee[object.name=/^(req|request)$/][property.name=/^(text|json|formData|arrayBuffer|blob|bytes)$/]",
          message:
            "Read request bodies through lib/http/request.ts (readJsonObject, readJsonBody, readRawBody): it stops at a size limit.",
        },
      ],
    },
  },
  // The doors' own tests too: they read the database back through test/records.ts, not by importing it.
  { files: ["app/**", "components/**"], rules: { "no-restricted-imports": ["error", noDatabaseInDoors] } },
);
