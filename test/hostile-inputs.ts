// Hostile request bodies, paths and query strings for the door fuzz (app/api/__tests__/fuzz-doors.test.ts):
// fast-check arbitraries that start from a door's valid body and break it the ways clients and attackers do.
import fc from "fast-check";

/** One body as sent: its raw text (undefined: no body at all), its Content-Type, and what kind of breakage. */
export interface HostileBody {
  kind: string;
  raw: string | undefined;
  contentType: string;
}

const JSON_TYPE = "application/json";
const KiB = 1024;

/** Strings that break storage or parsers: NUL, lone surrogates, control and bidi characters, SQL and path bits. */
const nastyString = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ maxLength: 20 }).map((s) => `${s}\u0000${s}`),
  fc.constantFrom(
    "",
    " ",
    "\u0000",
    "\ud800",
    "\udfff\ud800",
    "\u202e\u0007\u001b[31m",
    "'; drop table incidents; --",
    "../../etc/passwd",
    "%00%2e%2e%2f",
    "INC-99999999999999999999999",
    "INC--1",
    "0001-01-01T00:00:00Z",
    "275760-09-13T00:00:00.001Z",
    "NaN",
    "__proto__",
    "<script>alert(1)</script>",
    "<!here|x> <@U0ALICE> *bold*",
  ),
);

/** A value of any JSON type, for "wrong type in this field". */
const wrongValue: fc.Arbitrary<unknown> = fc.oneof(
  nastyString,
  fc.integer(),
  fc.constantFrom(0, -1, 1e308, -1e308, 2 ** 53 + 1, 0.5, -0),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.oneof(fc.integer(), fc.string({ maxLength: 5 })), { maxLength: 4 }),
  fc.dictionary(fc.string({ maxLength: 6 }), fc.string({ maxLength: 6 }), { maxKeys: 3 }),
  fc.constant({ __proto__: { admin: true }, constructor: { prototype: { role: "admin" } } }),
);

/** Sizes around the usual limits: a large field, and one past the 1 MiB default limit. */
const hugeString = fc.constantFrom(10 * KiB, 300 * KiB, 1100 * KiB).map((n) => "x".repeat(n));

/** Nesting deep enough to overflow a recursive parser or validator. */
const deepText = fc
  .tuple(fc.constantFrom(65, 5_000, 100_000), fc.boolean())
  .map(([depth, arrays]) =>
    arrays ? "[".repeat(depth) + "]".repeat(depth) : '{"a":'.repeat(depth) + "1" + "}".repeat(depth),
  );

/** Empty and near-empty bodies: none at all, blank, and JSON that is not an object. */
export const emptyBodies: fc.Arbitrary<HostileBody> = fc
  .constantFrom<string | undefined>(undefined, "", " ", "\n\t", "null", "[]", '""', "0", "\u0000")
  .map((raw) => ({ kind: "empty", raw, contentType: JSON_TYPE }));

/** Every field path of a sample body, nested objects included (`labels.team`), and the top level. */
function fieldPaths(value: unknown, prefix: string[] = []): string[][] {
  if (!value || typeof value !== "object" || Array.isArray(value)) return [];
  return Object.entries(value).flatMap(([key, inner]) => [[...prefix, key], ...fieldPaths(inner, [...prefix, key])]);
}

/** A deep copy of `sample` with the value at `path` replaced (arrays in the way are walked by index). */
function withField(sample: unknown, path: string[], value: unknown): unknown {
  const copy = structuredClone(sample) as Record<string, unknown>;
  let node = copy;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string, unknown>;
  node[path[path.length - 1]!] = value;
  return copy;
}

/** `sample` as JSON text with `placeholder`'s quoted spot replaced by raw JSON text (deep nesting stays text). */
const spliced = (sample: unknown, path: string[], rawValue: string) => {
  const marker = "\u0001fuzz-marker\u0001";
  return JSON.stringify(withField(sample, path, marker)).replace(JSON.stringify(marker), rawValue);
};

/**
 * Bodies broken every way the door fuzz knows, from a door's valid `sample`: random and truncated JSON,
 * a wrong type in each field, huge strings, NUL characters, deep nesting, empty bodies, wrong content types.
 */
export function hostileJsonBodies(sample: unknown): fc.Arbitrary<HostileBody> {
  const text = JSON.stringify(sample);
  const paths = fieldPaths(sample);
  const asJson = (kind: string) => (raw: string) => ({ kind, raw, contentType: JSON_TYPE });
  const inField = (kind: string, value: fc.Arbitrary<unknown>) =>
    paths.length === 0
      ? value.map((v) => ({ kind, raw: JSON.stringify({ [kind]: v }), contentType: JSON_TYPE }))
      : fc
          .tuple(fc.constantFrom(...paths), value)
          .map(([path, v]) => ({ kind, raw: JSON.stringify(withField(sample, path, v)), contentType: JSON_TYPE }));
  return fc.oneof(
    { arbitrary: fc.constant({ kind: "valid", raw: text, contentType: JSON_TYPE }), weight: 1 },
    { arbitrary: fc.json({ maxDepth: 3 }).map(asJson("random JSON")), weight: 2 },
    {
      arbitrary: fc.nat({ max: Math.max(0, text.length - 1) }).map((n) => asJson("truncated JSON")(text.slice(0, n))),
      weight: 2,
    },
    { arbitrary: inField("wrong type", wrongValue), weight: 6 },
    { arbitrary: inField("huge string", hugeString), weight: 1 },
    {
      arbitrary: inField(
        "NUL",
        fc.string({ maxLength: 10 }).map((s) => `${s}\u0000`),
      ),
      weight: 2,
    },
    {
      arbitrary: fc
        .string({ maxLength: 10 })
        .map((s) => asJson("NUL key")(JSON.stringify({ ...(sample as object), [`${s}\u0000`]: s }))),
      weight: 1,
    },
    {
      arbitrary:
        paths.length === 0
          ? deepText.map(asJson("deep nesting"))
          : fc
              .tuple(fc.constantFrom(...paths), deepText)
              .map(([path, deep]) => asJson("deep nesting")(spliced(sample, path, deep))),
      weight: 2,
    },
    { arbitrary: emptyBodies, weight: 1 },
    {
      arbitrary: fc
        .constantFrom("text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "")
        .map((contentType) => ({ kind: "wrong content type", raw: text, contentType })),
      weight: 1,
    },
  );
}

/** A value for a path segment ({ref}, {id}, {slug}): mostly the prepared one, else something hostile. */
export const hostileSegment: fc.Arbitrary<string> = fc.oneof(
  nastyString,
  fc.constantFrom("INC-0", "INC-2147483648", "00000000-0000-0000-0000-000000000000", "x".repeat(10 * KiB)),
);

/** A query string: the door's own filter names and random ones, with hostile values, some repeated. */
export function hostileQuery(knownKeys: readonly string[]): fc.Arbitrary<string> {
  const key = knownKeys.length ? fc.oneof(fc.constantFrom(...knownKeys), fc.string({ maxLength: 8 })) : fc.string();
  const value = fc.oneof(
    nastyString,
    fc.integer().map(String),
    fc.constantFrom("2026-13-45", "-1", "1e400", "true", "x".repeat(20 * KiB)),
  );
  return fc
    .array(fc.tuple(key, value), { maxLength: 6 })
    .map((pairs) => new URLSearchParams(pairs.map(([k, v]) => [k, v] as [string, string])).toString());
}
