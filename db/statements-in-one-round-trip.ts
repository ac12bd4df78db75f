// Several statements in one round trip, as the CTEs of one: drizzle builds each (`query.getSQL()`, public)
// and `db.execute` hands back the driver's rows unmapped (timestamps as text, json as text or object).
// db/__tests__/library-assumptions.test.ts fails loudly if a drizzle or postgres.js upgrade changes either.
import { sql, type SQL } from "drizzle-orm";

/** `with a as (…), b as (…) <select>`: the select reads the CTEs by name. */
export const withStatements = (statements: readonly (readonly [name: string, statement: SQL])[], select: SQL): SQL =>
  sql`with ${sql.join(
    statements.map(([name, statement]) => sql`${sql.identifier(name)} as (${statement})`),
    sql`, `,
  )} ${select}`;

/**
 * `, (select count(*) from a) as a, …`: a CTE that does not modify data runs only when read, so the select
 * counts each one's rows (which also tells the caller how many each touched).
 */
export const rowCountsOf = (names: readonly string[]): SQL =>
  sql.join(names.map((name) => sql`, (select count(*) from ${sql.identifier(name)}) as ${sql.identifier(name)}`));

/** A timestamp column of a raw row: text (drizzle turns postgres.js's date parsing off) or, should that change, a Date. */
export const rawTimestamp = (value: Date | string): Date => new Date(value);

/** A json column of a raw row: text or already parsed, depending on how the driver was asked to read it. */
export const rawJson = <T>(value: T | string): T => (typeof value === "string" ? (JSON.parse(value) as T) : value);
