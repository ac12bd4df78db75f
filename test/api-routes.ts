// Every route handler file under app/api, for the tests that walk all doors (doors.test.ts,
// admin-reads.test.ts) and fail when a new route is missing from their tables.
import { readdirSync, statSync } from "node:fs";
import path from "node:path";

export const apiRoot = path.resolve(import.meta.dirname, "../app/api");

export function routeFiles(dir: string = apiRoot): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const full = path.join(dir, entry);
    if (entry === "__tests__") return [];
    if (statSync(full).isDirectory()) return routeFiles(full);
    return entry === "route.ts" ? [full] : [];
  });
}

export const httpMethods = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;

/** The URL path a route file serves, as OpenAPI writes it: app/api/v1/incidents/[ref]/route.ts -> /api/v1/incidents/{ref}. */
export const routePathOf = (file: string) =>
  `/api/${path.relative(apiRoot, path.dirname(file)).split(path.sep).join("/")}`.replace(/\[(\w+)\]/g, "{$1}");
