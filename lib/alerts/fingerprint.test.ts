import { describe, expect, it } from "vitest";
import { alertFingerprint } from "./fingerprint";

describe("alert fingerprint", () => {
  it("reproduces the fingerprint Alertmanager 0.25 computed for a real alert", () => {
    const labels = { alertname: "HighErrorRate", instance: "web-1", service: "api", severity: "critical" };
    expect(alertFingerprint(labels)).toBe("dc667fabad98b2d0");
  });

  it("does not depend on the order labels arrive in", () => {
    expect(alertFingerprint({ b: "2", a: "1" })).toBe(alertFingerprint({ a: "1", b: "2" }));
  });

  it("tells apart labels that only differ in where a value ends", () => {
    expect(alertFingerprint({ a: "bc" })).not.toBe(alertFingerprint({ ab: "c" }));
  });

  it("hashes UTF-8 bytes, not UTF-16 code units", () => {
    expect(alertFingerprint({ alertname: "Überlast" })).toMatch(/^[0-9a-f]{16}$/);
    expect(alertFingerprint({ alertname: "Überlast" })).not.toBe(alertFingerprint({ alertname: "Uberlast" }));
  });
});
