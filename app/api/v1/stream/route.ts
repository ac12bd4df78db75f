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
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      const send = (text: string) => {
        try {
          controller.enqueue(encoder.encode(text));
        } catch {
          stop();
        }
      };
      // Tell the browser how soon to reconnect if the connection drops.
      send("retry: 2000\n: connected\n\n");
      const unsubscribe = subscribeToIncidentEvents(getRuntime().database.sql, (notice) => send(`event: incident\ndata: ${JSON.stringify(notice)}\n\n`));
      const ping = setInterval(() => send(": ping\n\n"), PING_MS);
      stop = () => {
        clearInterval(ping);
        unsubscribe();
        try {
          controller.close();
        } catch {
          // already closed
        }
      };
      req.signal.addEventListener("abort", () => stop());
    },
    cancel() {
      stop();
    },
  });
  return new Response(stream, {
    headers: { "content-type": "text/event-stream", "cache-control": "no-cache, no-transform", "x-accel-buffering": "no", connection: "keep-alive" },
  });
});
