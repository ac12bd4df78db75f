import { describe, expect, it } from "vitest";
import { AppError } from "../errors";
import { readAlertmanagerPayload } from "./alertmanager-payload";

const receivedAt = new Date("2026-11-28T06:30:00Z");
// A body Alertmanager 0.25 really sent (../shared/PROTOCOLS.md).
const realBody = {
  receiver: "hook",
  status: "firing",
  alerts: [
    {
      status: "firing",
      labels: { alertname: "HighErrorRate", instance: "web-1", service: "api", severity: "critical" },
      annotations: { runbook_url: "http://runbooks/x", summary: "5xx > 5%" },
      startsAt: "2026-11-28T06:21:44Z",
      endsAt: "0001-01-01T00:00:00Z",
      generatorURL: "http://prom:9090/graph?g0.expr=x",
      fingerprint: "dc667fabad98b2d0",
    },
  ],
  groupLabels: { alertname: "HighErrorRate" },
  commonLabels: { alertname: "HighErrorRate", instance: "web-1", service: "api", severity: "critical" },
  commonAnnotations: { runbook_url: "http://runbooks/x", summary: "5xx > 5%" },
  externalURL: "http://127.0.0.1:19093",
  version: "4",
  groupKey: '{}:{alertname="HighErrorRate"}',
  truncatedAlerts: 1,
};

function invalidOf(body: unknown): AppError {
  try {
    readAlertmanagerPayload(body, receivedAt);
  } catch (error) {
    return error as AppError;
  }
  throw new Error("expected the payload to be refused");
}

describe("reading Alertmanager's webhook payload", () => {
  it("reads a real version 4 body: firing alert, Go zero endsAt, truncation", () => {
    const batch = readAlertmanagerPayload(realBody, receivedAt);
    expect(batch).toMatchObject({
      groupKey: '{}:{alertname="HighErrorRate"}',
      receiver: "hook",
      truncatedAlerts: 1,
      commonAnnotations: { summary: "5xx > 5%" },
    });
    expect(batch.alerts).toEqual([
      {
        fingerprint: "dc667fabad98b2d0",
        status: "firing",
        labels: realBody.alerts[0]!.labels,
        annotations: realBody.alerts[0]!.annotations,
        startsAt: new Date("2026-11-28T06:21:44Z"),
        endsAt: null,
        generatorUrl: "http://prom:9090/graph?g0.expr=x",
      },
    ]);
  });

  it("computes the fingerprint when the sender leaves it out", () => {
    const { fingerprint: _omitted, ...alert } = realBody.alerts[0]!;
    expect(readAlertmanagerPayload({ ...realBody, alerts: [alert] }, receivedAt).alerts[0]!.fingerprint).toBe(
      "dc667fabad98b2d0",
    );
  });

  it("tolerates unknown fields, missing annotations, null maps, numeric label values and nanosecond timestamps", () => {
    const batch = readAlertmanagerPayload(
      {
        version: "4",
        groupKey: "g",
        commonLabels: null,
        someFutureField: { nested: true },
        alerts: [
          {
            status: "firing",
            labels: { alertname: "X", shard: 3 },
            startsAt: "2026-11-28T06:21:44.123456789Z",
            extra: 1,
          },
        ],
      },
      receivedAt,
    );
    expect(batch.alerts[0]).toMatchObject({
      labels: { alertname: "X", shard: "3" },
      annotations: {},
      startsAt: new Date("2026-11-28T06:21:44.123Z"),
    });
    expect(batch.commonLabels).toEqual({});
  });

  it("reads a resolved alert's endsAt", () => {
    const resolved = { ...realBody.alerts[0]!, status: "resolved", endsAt: "2026-11-28T06:29:00Z" };
    expect(readAlertmanagerPayload({ ...realBody, alerts: [resolved] }, receivedAt).alerts[0]).toMatchObject({
      status: "resolved",
      endsAt: new Date("2026-11-28T06:29:00Z"),
    });
  });

  it("records an alert without a usable startsAt as starting when it was received", () => {
    const alert = { labels: { alertname: "Y" }, startsAt: "not a time" };
    expect(
      readAlertmanagerPayload({ version: "4", groupKey: "g", alerts: [alert] }, receivedAt).alerts[0]!.startsAt,
    ).toEqual(receivedAt);
  });

  it("refuses other payload versions with a message that says which one it reads", () => {
    const error = invalidOf({ ...realBody, version: "3" });
    expect(error.code).toBe("invalid");
    expect(error.message).toMatch(/version "3"; Vigil reads version "4"/);
    expect(invalidOf({ alerts: [] }).message).toMatch(/"version" is missing/);
    expect(invalidOf({}).message).toMatch(/^The body is empty/);
  });

  it("takes the version written as the number 4 as version 4", () => {
    expect(readAlertmanagerPayload({ ...realBody, version: 4 }, receivedAt).alerts).toHaveLength(
      readAlertmanagerPayload(realBody, receivedAt).alerts.length,
    );
  });

  it("refuses a body whose alerts are not a list, naming the field", () => {
    const error = invalidOf({ version: "4", groupKey: "g", alerts: "nope" });
    expect(error.fieldErrors.map((f) => f.path)).toEqual(["alerts"]);
  });
});
