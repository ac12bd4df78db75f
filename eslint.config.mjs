// Lint: TypeScript's recommended rules, drizzle's guard against update/delete without `where`, one
// writer per guarded table (lint/rules/one-writer.mjs), and the layering rules: lib/ and db/ never import Next or React (the worker and scripts load them); app/ and
// components/ never import db/ or drizzle-orm (pages and routes go through lib/).
import drizzle from "eslint-plugin-drizzle";
import tseslint from "typescript-eslint";
import vigil from "./lint/rules/one-writer.mjs";

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
  // The database layer sits under the domain core: db/ never imports lib/ (demo data lives in scripts/).
  {
    files: ["db/**"],
    ignores: ["**/*.test.ts", "**/__tests__/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            ...noFrameworkInCore.patterns,
            {
              group: ["@/lib", "@/lib/*", "**/lib/*"],
              message: "db/ sits under lib/: it never imports the domain core.",
            },
          ],
        },
      ],
    },
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
  // One write path: these tables change only through their owning module, which writes the timeline event
  // and audit row with the change (tests may set up rows directly).
  {
    files: ["**/*.ts", "**/*.tsx", "**/*.mjs"],
    ignores: ["**/*.test.ts", "**/__tests__/**", "test/**", "e2e/**", "bench/**", "lint/**"],
    plugins: { vigil },
    rules: {
      "vigil/one-writer": [
        "error",
        {
          incidents: {
            methods: ["insert", "update"],
            writers: ["lib/incidents/incident-store.ts", "lib/incidents/record-incident-change.ts"],
            why: "change an incident with recordIncidentChange (lib/incidents/record-incident-change.ts), which writes its timeline event and audit row",
          },
          notifications: {
            methods: ["insert"],
            writers: ["lib/notifications/plan-notifications.ts"],
            why: "add messages with addNotifications, which enqueues their delivery",
          },
          runbooks: {
            methods: ["insert", "update"],
            writers: ["lib/runbooks/runbook-store.ts"],
            why: "save runbooks with insertRunbook / addVersion / adoptRunbookOrigin / markRunbookResourceRemoved / recordActionsApproval",
          },
          runbookVersions: {
            methods: ["insert"],
            writers: ["lib/runbooks/runbook-store.ts"],
            why: "save runbook versions with insertRunbook / addVersion",
          },
        },
      ],
    },
  },
  // The doors' own tests too: they read the database back through test/records.ts, not by importing it.
  { files: ["app/**", "components/**"], rules: { "no-restricted-imports": ["error", noDatabaseInDoors] } },
);
