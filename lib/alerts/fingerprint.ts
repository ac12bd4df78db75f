// Alertmanager's alert fingerprint: 64-bit FNV-1a over the label names in sorted order, each name and
// value followed by the byte 0xFF, printed as 16 hex digits. Used when a sender omits `fingerprint`.
const OFFSET_BASIS = 0xcbf29ce484222325n;
const PRIME = 0x100000001b3n;
const MASK = (1n << 64n) - 1n;
const encoder = new TextEncoder();

export function alertFingerprint(labels: Record<string, string>): string {
  let hash = OFFSET_BASIS;
  const mix = (byte: number) => {
    hash = ((hash ^ BigInt(byte)) * PRIME) & MASK;
  };
  for (const name of Object.keys(labels).sort()) {
    for (const part of [name, labels[name]!]) {
      for (const byte of encoder.encode(part)) mix(byte);
      mix(0xff);
    }
  }
  return hash.toString(16).padStart(16, "0");
}
