import { describe, expect, it } from "vitest";
import { alertFingerprint } from "./fingerprint";

/** FNV-1a 64 as its definition reads, in BigInt: the reference the fast version must match. */
function referenceFingerprint(labels: Record<string, string>): string {
  let hash = 0xcbf29ce484222325n;
  const mix = (byte: number) => (hash = ((hash ^ BigInt(byte)) * 0x100000001b3n) & ((1n << 64n) - 1n));
  for (const name of Object.keys(labels).sort()) {
    for (const part of [name, labels[name]!]) {
      for (const byte of new TextEncoder().encode(part)) mix(byte);
      mix(0xff);
    }
  }
  return hash.toString(16).padStart(16, "0");
}

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

  it("matches FNV-1a 64 as defined, for ASCII, accented, emoji and empty labels", () => {
    const alphabet = ["a", "Z", "0", "_", "-", " ", "=", "é", "Ü", "ß", "漢", "😀", "\u007f", "\u0080"];
    let seed = 7;
    const next = (n: number) => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % n;
    const text = () => Array.from({ length: next(12) }, () => alphabet[next(alphabet.length)]).join("");
    for (let i = 0; i < 500; i++) {
      const labels: Record<string, string> = {};
      for (let j = next(6); j >= 0; j--) labels[`l${text()}`] = text();
      expect(alertFingerprint(labels)).toBe(referenceFingerprint(labels));
    }
    expect(alertFingerprint({})).toBe(referenceFingerprint({}));
  });
});
