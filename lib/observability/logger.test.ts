import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { workerLogMethod } from "../jobs/worker-log-level";
import { consoleDestination, createLogger, readableLines } from "./logger";

function capture() {
  const out = new PassThrough();
  let text = "";
  out.on("data", (chunk: Buffer) => (text += chunk.toString()));
  return { out, text: () => text };
}

describe("the console log", () => {
  it("is one readable line per event on a terminal: time, level, who, what, the incident, then the fields", () => {
    const { out, text } = capture();
    const log = createLogger("info", "vigil-worker", readableLines(out, false));
    log.info({ ref: "INC-12", action: "restart", token: "xoxb-secret" }, "automatic remediation requested");
    log.debug("not shown at info");
    expect(text()).toMatch(
      /^\[\d\d:\d\d:\d\d\] INFO: vigil-worker: automatic remediation requested · INC-12 \{"action":"restart","token":"\[redacted\]"\}\n$/,
    );
  });

  it("stays JSON when stdout is not a terminal (containers, files, pipes)", () => {
    expect(consoleDestination({ isTTY: false })).toBeUndefined();
    expect(consoleDestination({})).toBeUndefined();
    expect(consoleDestination({ isTTY: true })).toBeDefined();
  });
});

describe("graphile-worker's lines", () => {
  it("keep every finished job for debug, failures as they are", () => {
    expect(workerLogMethod("info", "Completed task 42 (notify.deliver, 3.10ms) with success")).toBe("debug");
    expect(workerLogMethod("info", "Worker connected and looking for jobs...")).toBe("info");
    expect(workerLogMethod("warning", "Failed task 43 (notify.deliver, 5.00ms) with error")).toBe("warn");
    expect(workerLogMethod("error", "Error")).toBe("error");
  });
});
