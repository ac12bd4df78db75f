// The dev inbox's mail server for `npm start`: a loopback SMTP receiver (smtp-server, mailparser) that keeps
// every mail Vigil sends in dev_inbox_messages, one row per recipient, for /dev/inbox. Never in production:
// it accepts anything from anyone who reaches it, so it listens on 127.0.0.1 only.
import { simpleParser } from "mailparser";
import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from "smtp-server";
import type { DbOrTx } from "@/db/client";
import { recordDevInboxMessage } from "@/lib/dev-inbox/inbox";

export interface DevSmtpReceiver {
  /** What SMTP_URL should say to send here. */
  smtpUrl: string;
  port: number;
  close(): Promise<void>;
}

const MAX_SIZE = 10 * 1024 * 1024;

async function readStream(stream: SMTPServerDataStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  return Buffer.concat(chunks);
}

async function keep(db: DbOrTx, stream: SMTPServerDataStream, session: SMTPServerSession): Promise<void> {
  const mail = await simpleParser(await readStream(stream));
  const recipients = session.envelope.rcptTo.map((a) => a.address);
  const raw = {
    from: mail.from?.text ?? (session.envelope.mailFrom ? session.envelope.mailFrom.address : ""),
    to: recipients,
    message_id: mail.messageId ?? null,
    date: mail.date?.toISOString() ?? null,
    has_html: typeof mail.html === "string",
  };
  for (const recipient of recipients)
    await recordDevInboxMessage(db, {
      channel: "email",
      recipient,
      subject: mail.subject ?? "(no subject)",
      body: (mail.text ?? "").trimEnd(),
      raw,
    });
}

export async function startDevSmtpReceiver(db: DbOrTx, options: { port?: number } = {}): Promise<DevSmtpReceiver> {
  const smtp = new SMTPServer({
    secure: false,
    disabledCommands: ["STARTTLS"],
    authOptional: true,
    allowInsecureAuth: true,
    disableReverseLookup: true,
    logger: false,
    size: MAX_SIZE,
    banner: "Vigil dev inbox",
    closeTimeout: 200,
    onAuth: (auth, _session, callback) => callback(null, { user: auth.username ?? "" }),
    onData: (stream, session, callback) => {
      keep(db, stream, session).then(
        () => callback(null, "OK: in the dev inbox"),
        (error: unknown) =>
          callback(
            Object.assign(new Error(`the dev inbox could not keep it: ${String(error)}`), { responseCode: 451 }),
          ),
      );
    },
  });
  const port = await new Promise<number>((resolve, reject) => {
    smtp.once("error", reject);
    smtp.listen(options.port ?? 0, "127.0.0.1", () => resolve((smtp.server.address() as { port: number }).port));
  });
  smtp.on("error", () => {}); // a client dropping mid-session is its own business
  return {
    smtpUrl: `smtp://127.0.0.1:${port}`,
    port,
    close: () => new Promise<void>((resolve) => smtp.close(() => resolve())),
  };
}
