// Live incident changes for browsers. Every timeline event sends a NOTIFY in the transaction that wrote
// it (PostgreSQL delivers it on commit, to every replica); each web process keeps ONE LISTEN connection
// and fans the notifications out to its server-sent-event streams. Nothing is kept in memory that
// another replica would need: a browser on any replica hears every change.
import { sql, type SQL } from "drizzle-orm";
import type postgres from "postgres";

export const INCIDENT_EVENTS_CHANNEL = "vigil_incident_events";

export interface IncidentEventNotice {
  incident_id: string;
  event_id: number;
  kind: string;
}

/**
 * The NOTIFY for a timeline event, as SQL over a row source with the event's columns (appendTimelineEvent
 * puts it in the statement that inserts the event, so it commits, or not, with it).
 */
export const announcement = (event: SQL) =>
  sql`pg_notify(${INCIDENT_EVENTS_CHANNEL}, json_build_object('incident_id', ${event}.incident_id, 'event_id', ${event}.id, 'kind', ${event}.kind)::text)`;

type Listener = (notice: IncidentEventNotice) => void;

interface Hub {
  listeners: Set<Listener>;
  /** Told each time the LISTEN is taken again after its connection dropped: notices may have been missed. */
  relisteners: Set<() => void>;
  subscription: Promise<{ unlisten(): Promise<void> }> | null;
}

const hubKey = Symbol.for("vigil.incident-events-hub");
const hubs = globalThis as typeof globalThis & { [hubKey]?: Hub };

/**
 * Subscribes to every incident change. Returns the unsubscribe (the LISTEN ends with the last listener) and
 * `listening`, which settles once PostgreSQL has taken the LISTEN: changes committed after that reach the
 * listener. `onRelisten` is called whenever postgres.js takes the LISTEN again on a new connection (and
 * once when it first does): what was committed while it was away was not heard.
 */
export function subscribeToIncidentEvents(
  sqlClient: postgres.Sql,
  listener: Listener,
  onRelisten?: () => void,
): { unsubscribe: () => void; listening: Promise<void> } {
  const hub = (hubs[hubKey] ??= { listeners: new Set(), relisteners: new Set(), subscription: null });
  hub.listeners.add(listener);
  hub.relisteners ??= new Set(); // a hub made by an older module, kept on globalThis across a dev reload
  if (onRelisten) hub.relisteners.add(onRelisten);
  hub.subscription ??= sqlClient.listen(
    INCIDENT_EVENTS_CHANNEL,
    (payload) => {
      let notice: IncidentEventNotice;
      try {
        notice = JSON.parse(payload) as IncidentEventNotice;
      } catch {
        return;
      }
      for (const l of hub.listeners) l(notice);
    },
    () => {
      for (const relisten of hub.relisteners) relisten();
    },
  );
  const listening = hub.subscription.then(() => undefined);
  const unsubscribe = () => {
    hub.listeners.delete(listener);
    if (onRelisten) hub.relisteners.delete(onRelisten);
    if (hub.listeners.size === 0 && hub.subscription) {
      const ending = hub.subscription;
      hub.subscription = null;
      void ending.then((s) => s.unlisten()).catch(() => {});
    }
  };
  return { unsubscribe, listening };
}
