// GET /api/v1/stream – server-sent events: `incident` with {incident_id, event_id, kind} on every change
import { apiRoute } from "@/lib/http/api-route";
import { authorize } from "@/lib/auth/permissions";
import { subscribeToIncidentEvents } from "@/lib/live/incident-events";
import { getRuntime } from "@/lib/runtime";

export const dynamic = "force-dynamic";

const PING_MS = 15_000;

export const GET = apiRoute("GET /api/v1/stream", async ({ req, ctx }) => {
  authorize(ctx.actor, "incident.read");
  const encoder = new TextEncoder();
  let stop = () => {};
  let listening: Promise<void> = Promise.resolve();
  const stream = new ReadableStream<Uint8Array>({
    async start(controller) {
      let stopped = false;
      let ping: ReturnType<typeof setInterval> | undefined = undefined; // set once connected
      const send = (text: string) => {
        try {
          controller.enqueue(encoder.encode(text));
        } catch {
          stop();
        }
      };
      const subscription = subscribeToIncidentEvents(getRuntime().database.sql, (notice) =>
        send(`event: incident\ndata: ${JSON.stringify(notice)}\n\n`),
      );
      const { unsubscribe } = subscription;
      listening = subscription.listening;
      stop = () => {
        if (stopped) return;
        stopped = true;
        clearInterval(ping);
        unsubscribe();
        try {
          controller.close();
        } catch {
          // already closed
        }
      };
      req.signal.addEventListener("abort", () => stop());
      await listening.catch(() => {});
      if (stopped) return;
      // Tell the browser how soon to reconnect if the connection drops.
      send("retry: 2000\n: connected\n\n");
      ping = setInterval(() => send(": ping\n\n"), PING_MS);
    },
    cancel() {
      stop();
    },
  });
  // The answer (and so the browser's "Live", which is EventSource's open) goes out only once PostgreSQL
  // listens: a change made after that reaches this stream. (start() ran in the constructor, up to its
  // first await.) Should the LISTEN fail, the stream opens anyway; postgres.js listens again when its
  // connection comes back.
  await listening.catch(() => {});
  return new Response(stream, {
    headers: {
      "content-type": "text/event-stream",
      "cache-control": "no-cache, no-transform",
      "x-accel-buffering": "no",
      connection: "keep-alive",
    },
  });
});
