// Turns zod's verdict on untrusted input into an `invalid` AppError that names every failing field.
import type { z } from "zod";
import { AppError, type FieldError } from "./errors";

export function fieldErrorsOf(error: z.ZodError, schema?: z.ZodType): FieldError[] {
  return error.issues.flatMap((issue) => {
    const at = (path: readonly PropertyKey[]) => path.map(String).join(".") || "(body)";
    if (issue.code !== "unrecognized_keys") return [{ path: at(issue.path), message: issue.message }];
    // A field we do not know is refused rather than dropped (a misspelt `note` would silently lose the
    // note); the message suggests the field the sender probably meant.
    const known = schema ? fieldsAt(schema, issue.path) : [];
    return issue.keys.map((key) => {
      const meant = closestField(key, known);
      return {
        path: at([...issue.path, key]),
        message: meant ? `unknown field; did you mean \`${meant}\`?` : "unknown field",
      };
    });
  });
}

export function parseInput<S extends z.ZodType>(schema: S, input: unknown, what = "input"): z.output<S> {
  const result = schema.safeParse(input);
  if (!result.success) {
    const fieldErrors = fieldErrorsOf(result.error, schema);
    const summary = fieldErrors.map((f) => `${f.path}: ${f.message}`).join("; ");
    throw new AppError("invalid", `Invalid ${what}: ${summary}`, { fieldErrors });
  }
  return result.data;
}

/** The field names an object schema accepts at `path` (through optional, nullable, default and arrays). */
function fieldsAt(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
  let current: unknown = schema;
  for (const step of [...path, null]) {
    current = unwrap(current);
    if (step === null) break;
    const def = defOf(current);
    if (def?.type === "object" && typeof step === "string") current = (def.shape as Record<string, unknown>)[step];
    else if (def?.type === "array" && typeof step === "number") current = def.element;
    else return [];
  }
  const def = defOf(current);
  return def?.type === "object" ? Object.keys(def.shape as object) : [];
}

const defOf = (schema: unknown) =>
  (schema as { _zod?: { def?: Record<string, unknown> & { type?: string } } } | undefined)?._zod?.def;

function unwrap(schema: unknown): unknown {
  let current = schema;
  for (let i = 0; i < 10; i++) {
    const def = defOf(current);
    if (!def) return current;
    if (
      def.type === "optional" ||
      def.type === "nullable" ||
      def.type === "default" ||
      def.type === "prefault" ||
      def.type === "readonly"
    )
      current = def.innerType;
    else if (def.type === "pipe") current = def.in;
    else return current;
  }
  return current;
}

/** The known field a typo or a shortened name most likely meant: a substring of it, or at most two edits away. */
export function closestField(key: string, known: string[]): string | null {
  const k = key.toLowerCase();
  let best: { field: string; score: number } | null = null;
  for (const field of known) {
    const f = field.toLowerCase();
    const score = (k.length >= 3 && f.includes(k)) || (f.length >= 3 && k.includes(f)) ? 0.5 : editDistance(k, f);
    if (score <= 2 && (!best || score < best.score)) best = { field, score };
  }
  return best?.field ?? null;
}

function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 2) return 3;
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++)
      row[j] = Math.min(previous[j]! + 1, row[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    previous = row;
  }
  return previous[b.length]!;
}
