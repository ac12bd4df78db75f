// Slack waits three seconds for the HTTP answer. The first `ack` becomes that answer; if nothing has
// acknowledged when the window closes, an empty 200 goes out instead (a silent acknowledgement) and a later
// `ack` throws AckWindowClosed, so the caller answers through response_url instead.
export class AckWindowClosed extends Error {
  constructor() {
    super("The HTTP answer to Slack has already been sent");
    this.name = "AckWindowClosed";
  }
}

export interface AckWindow {
  /** Bolt's ack: no argument = empty 200; a string = that text; an object = JSON (a reply, view errors). */
  ack: (response?: unknown) => Promise<void>;
  /** The HTTP answer, once acknowledged (or the window closed). */
  response: Promise<Response>;
  /** Processing is over: answer now if nothing did. */
  close: () => void;
}

/** Slack gives up at 3 s; leave room for the answer to travel. */
export const ACK_TIMEOUT_MS = 2500;

export function openAckWindow(timeoutMs = ACK_TIMEOUT_MS): AckWindow {
  let settle!: (response: Response) => void;
  const response = new Promise<Response>((resolve) => (settle = resolve));
  let open = true;
  const answer = (res: Response) => {
    open = false;
    clearTimeout(timer);
    settle(res);
  };
  const timer = setTimeout(() => open && answer(new Response(null, { status: 200 })), timeoutMs);
  timer.unref?.();
  return {
    response,
    ack: async (body) => {
      if (!open) throw new AckWindowClosed();
      answer(ackResponse(body));
    },
    close: () => {
      if (open) answer(new Response(null, { status: 200 }));
    },
  };
}

function ackResponse(body: unknown): Response {
  if (body === undefined || body === null || body === "") return new Response(null, { status: 200 });
  if (typeof body === "string")
    return new Response(body, { status: 200, headers: { "content-type": "text/plain; charset=utf-8" } });
  return new Response(JSON.stringify(body), { status: 200, headers: { "content-type": "application/json" } });
}
