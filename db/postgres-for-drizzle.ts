// Why a Proxy over postgres.js: drizzle has no hook to prepare statements per connection or to run
// transactions on a pool of their own, so the client it is given intercepts `unsafe`, `begin`, `savepoint`.
// db/__tests__/library-assumptions.test.ts fails loudly if drizzle or postgres.js stop going through them.
import postgres from "postgres";

/**
 * The postgres.js client drizzle is given: statements prepared once per connection (but long lists, see
 * MAX_PREPARED_PARAMETERS), and transactions on a pool of their own.
 *
 * drizzle asks postgres.js for unnamed statements (`prepare: false`) unless a query is built with
 * `.prepare(name)`, so PostgreSQL parses every statement again and the driver describes it first, an extra
 * round trip, on every call. Here postgres.js prepares each statement once per connection and reuses it:
 * its own default. PostgreSQL then plans a statement's first five calls with their values and may switch to
 * one generic plan when that is no dearer (its `plan_cache_mode=auto`): on the hot paths, key lookups, that
 * saves it most of its CPU per statement. Analytics, whose time ranges make plans differ widely, force a
 * plan per call (lib/analytics/run-analytics-query.ts).
 *
 * Prepared statements are pipelined on busy connections, and postgres.js 3.4.9's `begin` fails when its
 * BEGIN is the statement that fills a busy connection's pipeline (porsager/postgres#823, #1189): the caller
 * gets UNSAFE_TRANSACTION and the transaction stays open on a connection the pool goes on lending (1 in
 * 3,000 webhooks at 100 new incidents/s in bench/notify.ts). On a pool that runs nothing but transactions
 * a connection is either idle or in a transaction, never busy with pipelined statements, so BEGIN always
 * finds an idle one (or waits for one) and postgres.js's own `begin` is safe from that fault: it rolls back
 * when a statement failed even if the caller caught the error, and nests savepoints.
 *
 * One more 3.4.9 fault is worked around in `inScope`: when a transaction's connection is lost, `begin`
 * rejects at once, but it still sends ROLLBACK (or COMMIT, or the body's next statement) on the dead
 * connection once the body settles, and that connection then never reconnects (porsager/postgres#1155,
 * #1215): each lost connection takes one from the pool for good. So once the connection is lost, nothing
 * more is sent on it, and the body's outcome is not handed back to postgres.js.
 * (Reserving a connection first with `reserve()` was tried and dropped: in 3.4.9 a reservation asked for
 * while PostgreSQL is unreachable can wait forever, even once it is back, and a web request with it.
 * db/__tests__/transactions.test.ts drills both.)
 */
export function forDrizzle(statements: postgres.Sql, transactions: postgres.Sql): postgres.Sql {
  return new Proxy(statements, {
    get(target, key) {
      if (key === "unsafe") return preparedUnsafe(target);
      if (key === "begin") {
        return <T>(body: ScopeBody<T>) => {
          const attempt = () => {
            const connection: ConnectionState = { lost: false, began: false };
            const transaction = transactions.begin((tx) => {
              connection.began = true;
              return inScope(tx, body, connection);
            });
            // `begin` rejects as soon as the connection closes, before the body has seen it.
            transaction.catch((error: unknown) => void (lostConnection(error) && (connection.lost = true)));
            return { transaction, connection };
          };
          const first = attempt();
          // A pooled connection whose session was ended under it (a failover, an admin, a backend killed
          // mid-transaction) fails the next BEGIN: with the session's farewell (FATAL), or because the socket
          // closed as BEGIN was written. Nothing of this transaction ran then: try it once more, on a fresh
          // connection. (Not when connecting failed: the database is away, and a retry would only wait again.)
          return first.transaction.catch((error: unknown) => {
            if (first.connection.began || !sessionEndedUnderIt(error)) throw error;
            return attempt().transaction;
          });
        };
      }
      return Reflect.get(target, key);
    },
  });
}

type ScopeBody<T> = (tx: postgres.TransactionSql) => T | Promise<T>;

interface ConnectionState {
  lost: boolean;
  /** BEGIN succeeded and the body was called. */
  began: boolean;
}

const connectionErrorCodes = new Set([
  "CONNECTION_CLOSED",
  "CONNECTION_DESTROYED",
  "CONNECTION_ENDED",
  "CONNECT_TIMEOUT",
]);

/** The connection itself failed (closed, reset, the session ended), seen through drizzle's wrapping error. */
function lostConnection(error: unknown): boolean {
  for (
    let e = error as { code?: string; errno?: unknown; severity?: string; cause?: unknown } | undefined, depth = 0;
    e && depth < 5;
    e = e.cause as typeof e, depth++
  ) {
    if (
      connectionErrorCodes.has(e.code ?? "") ||
      e.errno !== undefined ||
      e.severity === "FATAL" ||
      e.severity === "PANIC"
    )
      return true;
  }
  return false;
}

const endedSocketCodes = new Set(["CONNECTION_CLOSED", "CONNECTION_DESTROYED", "ECONNRESET", "EPIPE"]);

/** An established session ended: PostgreSQL said so (FATAL: an admin, a failover, a shutdown), or its socket closed or was reset. */
function sessionEndedUnderIt(error: unknown): boolean {
  for (
    let e = error as { code?: string; severity?: string; cause?: unknown } | undefined, depth = 0;
    e && depth < 5;
    e = e.cause as typeof e, depth++
  ) {
    if (e.severity === "FATAL" || e.severity === "PANIC" || endedSocketCodes.has(e.code ?? "")) return true;
  }
  return false;
}

/** A promise that never settles: what postgres.js gets instead of a body's outcome on a lost connection. */
const never = <T>() => new Promise<T>(() => undefined);

/**
 * Runs a transaction's (or savepoint's) body with a client whose statements are prepared, as the pool's
 * are, and which refuses statements once the body has finished (postgres.js would send them on the
 * connection, by then perhaps in another caller's transaction) or once the connection is lost.
 */
async function inScope<T>(tx: postgres.TransactionSql, body: ScopeBody<T>, connection: ConnectionState): Promise<T> {
  let ended = false;
  const client = new Proxy(tx, {
    get(target, key) {
      if (key === "unsafe") {
        return (query: string, params?: postgres.ParameterOrJSON<never>[], options?: postgres.UnsafeQueryOptions) => {
          if (ended) throw new Error("This transaction has ended: the statement was not sent");
          if (connection.lost) throw new Error("This transaction's connection was lost: the statement was not sent");
          const statement = preparedUnsafe(target)(query, params, options);
          // Registered before the caller's own handlers, so the caller's next statement already sees it.
          statement.catch((error: unknown) => void (lostConnection(error) && (connection.lost = true)));
          return statement;
        };
      }
      if (key === "savepoint") {
        // drizzle's nested transaction: savepoint(body), or savepoint(name, body).
        return <S>(...args: [ScopeBody<S>] | [string, ScopeBody<S>]) => {
          const inner = args[args.length - 1] as ScopeBody<S>;
          const nested = (savepoint: postgres.TransactionSql) => inScope(savepoint, inner, connection);
          return args.length === 2 ? target.savepoint(args[0] as string, nested) : target.savepoint(nested);
        };
      }
      return Reflect.get(target, key);
    },
  });
  let outcome: { ok: true; value: T } | { ok: false; error: unknown };
  try {
    outcome = { ok: true, value: await body(client) };
  } catch (error) {
    outcome = { ok: false, error };
  } finally {
    ended = true;
  }
  // The caller already has `begin`'s rejection; settling would make postgres.js write on the dead connection.
  if (connection.lost) return never<T>();
  if (!outcome.ok) throw outcome.error;
  return outcome.value;
}

/**
 * Statements with more parameters than this are sent unnamed, parsed each time, as drizzle would: they are
 * the variable-length lists (a multi-row insert, an `in (…)` of many ids), whose text differs with each
 * length, and a prepared text stays on its connection, in PostgreSQL and in postgres.js, until the
 * connection is recycled. Below it, a family of statements has at most a handful of lengths; a new
 * incident with up to seven alerts stays prepared.
 */
export const MAX_PREPARED_PARAMETERS = 100;

const preparedUnsafe =
  (client: postgres.Sql | postgres.TransactionSql) =>
  (query: string, params?: postgres.ParameterOrJSON<never>[], options?: postgres.UnsafeQueryOptions) =>
    client.unsafe(query, params, { ...options, prepare: (params?.length ?? 0) <= MAX_PREPARED_PARAMETERS });
