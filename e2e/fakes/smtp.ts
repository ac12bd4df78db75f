// A real SMTP receiver on loopback (smtp-server, plain text, no STARTTLS, AUTH optional) that parses every
// message with mailparser. SMTP is not HTTP, so its /__fake/ control routes live on a second, HTTP port.
import type { IncomingMessage, ServerResponse } from "node:http";
import { simpleParser, type AddressObject, type EmailAddress } from "mailparser";
import { SMTPServer, type SMTPServerDataStream, type SMTPServerError, type SMTPServerSession } from "smtp-server";
import {
  answerControl,
  closeHttpServer,
  FailurePlans,
  now,
  sendJson,
  sleep,
  startHttpServer,
  type Fake,
  type FailurePlan,
  type Recorded,
} from "./fake-server";

export interface SmtpReceived extends Recorded {
  /** The SMTP envelope (MAIL FROM / RCPT TO), which is who the mail really goes to (Bcc included). */
  envelope: { mailFrom: string; rcptTo: string[] };
  /** The address in the From header, e.g. "vigil@example.com". */
  from: string;
  /** The From header as written, e.g. "Vigil <vigil@example.com>". */
  fromHeader: string;
  /** Addresses in the To header. */
  to: string[];
  cc: string[];
  subject: string;
  text: string;
  /** null when the message has no HTML part. */
  html: string | null;
  messageId: string;
  /** Header name (lower case) -> unfolded value; repeated headers joined with "\n". */
  headers: Record<string, string>;
  /** The user name given to AUTH, when the client authenticated. */
  authUser?: string;
  /** The message as transmitted. */
  raw: string;
}

export interface FakeSmtp extends Fake<SmtpReceived> {
  /** smtp://127.0.0.1:<port> */
  smtpUrl: string;
  /** http://127.0.0.1:<port> of the control routes; `url` is the same (Fake's base URL for control). */
  controlUrl: string;
  port: number;
}

const addresses = (header: AddressObject | AddressObject[] | undefined): string[] => {
  const flatten = (list: EmailAddress[]): string[] =>
    list.flatMap((a) => (a.group ? flatten(a.group) : a.address ? [a.address] : []));
  return header ? (Array.isArray(header) ? header : [header]).flatMap((h) => flatten(h.value)) : [];
};

async function readStream(stream: SMTPServerDataStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  return Buffer.concat(chunks);
}

export async function startFakeSmtp(options: { port?: number; controlPort?: number } = {}): Promise<FakeSmtp> {
  const received: SmtpReceived[] = [];
  const plans = new FailurePlans();

  // Receives, records, then answers the end of DATA: 250, the failure plan's code, or 250 after a delay.
  const onMessage = async (
    stream: SMTPServerDataStream,
    session: SMTPServerSession,
  ): Promise<{ error?: SMTPServerError; delayMs?: number }> => {
    const raw = await readStream(stream);
    const mail = await simpleParser(raw);
    const rcptTo = session.envelope.rcptTo.map((a) => a.address);
    const outcome = plans.take(rcptTo);
    const headers: Record<string, string> = {};
    for (const { key, line } of mail.headerLines) {
      const value = line
        .slice(line.indexOf(":") + 1)
        .replace(/\r?\n[ \t]+/g, " ")
        .trim();
      headers[key] = headers[key] === undefined ? value : `${headers[key]}\n${value}`;
    }
    const failedWith = outcome?.kind === "fail" ? outcome.status : undefined;
    const user: unknown = session.user;
    received.push({
      at: now(),
      status: failedWith ?? 250,
      ...(failedWith !== undefined ? { failedWith } : {}),
      ...(outcome?.kind === "delay" ? { delayedMs: outcome.ms } : {}),
      envelope: { mailFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : "", rcptTo },
      from: addresses(mail.from)[0] ?? "",
      fromHeader: mail.from?.text ?? "",
      to: addresses(mail.to),
      cc: addresses(mail.cc),
      subject: mail.subject ?? "",
      text: mail.text ?? "",
      html: typeof mail.html === "string" ? mail.html : null,
      messageId: mail.messageId ?? "",
      headers,
      ...(typeof user === "string" ? { authUser: user } : {}),
      raw: raw.toString("utf8"),
    });
    if (outcome?.kind === "fail") {
      const text =
        typeof outcome.body === "string"
          ? outcome.body
          : outcome.status < 500
            ? "Requested action aborted: local error in processing (fake)"
            : "Message rejected (fake)";
      const error: SMTPServerError = Object.assign(new Error(text), { responseCode: outcome.status });
      return { error };
    }
    return outcome?.kind === "delay" ? { delayMs: outcome.ms } : {};
  };

  const smtp = new SMTPServer({
    secure: false,
    disabledCommands: ["STARTTLS"],
    authOptional: true,
    allowInsecureAuth: true,
    disableReverseLookup: true,
    logger: false,
    banner: "Vigil fake SMTP",
    closeTimeout: 200,
    // Any credentials are accepted: the fake records who authenticated, it guards nothing.
    onAuth: (auth, _session, callback) => callback(null, { user: auth.username ?? "" }),
    onData: (stream, session, callback) => {
      onMessage(stream, session).then(
        async ({ error, delayMs }) => {
          if (delayMs !== undefined) await sleep(delayMs);
          callback(error ?? null, "OK: message queued");
        },
        (error: unknown) =>
          callback(Object.assign(new Error(`could not parse the message: ${String(error)}`), { responseCode: 451 })),
      );
    },
  });
  const port = await new Promise<number>((resolve, reject) => {
    smtp.once("error", reject);
    smtp.listen(options.port ?? 0, "127.0.0.1", () => resolve((smtp.server.address() as { port: number }).port));
  });
  smtp.on("error", () => {}); // a client dropping mid-session is not the fake's problem

  const reset = () => {
    received.length = 0;
    plans.clear();
  };
  const controls = { received: () => received, fail: (plan: FailurePlan) => plans.add(plan), reset };
  const control = await startHttpServer(options.controlPort, async (req: IncomingMessage, res: ServerResponse) => {
    if (!(await answerControl(req, res, controls)))
      sendJson(res, 404, { error: "this port only serves /__fake/ control routes; SMTP is on the other one" });
  });

  return {
    smtpUrl: `smtp://127.0.0.1:${port}`,
    controlUrl: control.url,
    url: control.url,
    port,
    received,
    fail: controls.fail,
    reset,
    close: async () => {
      await Promise.all([new Promise<void>((resolve) => smtp.close(() => resolve())), closeHttpServer(control.server)]);
    },
  };
}
