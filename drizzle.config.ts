import { defineConfig } from "drizzle-kit";

// `npm run db:generate` diffs db/schema against the committed migrations and writes a new SQL file.
export default defineConfig({
  dialect: "postgresql",
  schema: "./db/schema/index.ts",
  out: "./db/migrations",
  casing: "snake_case",
});
