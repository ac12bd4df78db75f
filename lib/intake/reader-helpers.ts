// Small readers the vendor formats share: text from whatever JSON a sender put there, times, links and
// free-form details turned into alert annotations (strings, as Alertmanager's are).

import { z } from "zod";

/** Text a sender may also write as a number or a boolean. */
export const LenientText = z.union([z.string(), z.number(), z.boolean()]).transform(String);

/** A string, or a number or boolean written as one; anything else is absent. */
export function stringValue(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return undefined;
}

/** A sender's timestamp (ISO text, or Unix seconds / milliseconds as a number or a string); else `fallback`. */
export function parseSenderTime(value: unknown, fallback: Date): Date {
  if (value === null || value === undefined || value === "") return fallback;
  const numeric = typeof value === "number" ? value : /^\d+(\.\d+)?$/.test(String(value)) ? Number(value) : null;
  const date = numeric !== null ? new Date(numeric < 1e12 ? numeric * 1000 : numeric) : new Date(String(value));
  return Number.isNaN(date.getTime()) || date.getUTCFullYear() <= 1 ? fallback : date;
}

const MAX_ANNOTATION = 8000;

/** Free-form details: each top-level field one annotation (objects as JSON), a plain value as `details`. */
export function flatDetails(details: unknown, prefix = ""): Record<string, string> {
  if (details === null || details === undefined) return {};
  if (typeof details !== "object" || Array.isArray(details))
    return { [`${prefix}details`]: (stringValue(details) ?? JSON.stringify(details)).slice(0, MAX_ANNOTATION) };
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(details).slice(0, 100)) {
    const text = stringValue(value) ?? JSON.stringify(value);
    if (text !== undefined) out[`${prefix}${key}`] = text.slice(0, MAX_ANNOTATION);
  }
  return out;
}

/** Links as annotations `link:<text>` = href, which the incident page shows as links. */
export function linkAnnotations(links: { href?: string | null; text?: string | null }[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const link of links.slice(0, 20)) {
    if (!link.href || !/^https?:\/\//i.test(link.href)) continue;
    out[`link:${(link.text || link.href).slice(0, 100)}`] = link.href;
  }
  return out;
}
