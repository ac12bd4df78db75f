import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { createLogger } from "./logger";

function capture() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return { log: createLogger("info", "test", destination), lines };
}

describe("log lines", () => {
  it("carry no credentials, at the top level or nested in headers, options or a vendor's body", () => {
    const { log, lines } = capture();
    log.info(
      {
        token: "t-1",
        headers: { authorization: "Bearer t-2", cookie: "session=t-3", accept: "application/json" },
        pagerduty: { body: { routing_key: "t-4", event_action: "trigger" } },
        smtp: { password: "t-5" },
        slack: { secret: "t-6" },
      },
      "calling out",
    );
    const line = lines.join("");
    for (const secret of ["t-1", "t-2", "t-3", "t-4", "t-5", "t-6"]) expect(line).not.toContain(secret);
    expect(JSON.parse(line)).toMatchObject({ headers: { accept: "application/json", authorization: "[redacted]" }, pagerduty: { body: { event_action: "trigger" } } });
  });
});
