// Alertmanager's alert fingerprint: 64-bit FNV-1a over the label names in sorted order, each name and
// value followed by the byte 0xFF, printed as 16 hex digits. Used when a sender omits `fingerprint`.
//
// The 64-bit state is two 32-bit halves in plain numbers: with a BigInt per byte an alert took 20 µs, ten
// times as long (bench/README.md). FNV's prime is 2^40 + 0x1b3, so h * prime = h * 0x1b3 + (h << 40),
// and every partial product stays below 2^53.
const OFFSET_BASIS_HI = 0xcbf29ce4; // FNV-1a 64's offset basis, 0xcbf29ce484222325, in halves
const OFFSET_BASIS_LO = 0x84222325;
const PRIME_LOW = 0x1b3;
const TWO_32 = 0x1_0000_0000;
const SEPARATOR = 0xff;
const encoder = new TextEncoder();

export function alertFingerprint(labels: Record<string, string>): string {
  let hi = OFFSET_BASIS_HI;
  let lo = OFFSET_BASIS_LO;
  for (const name of Object.keys(labels).sort()) {
    for (const text of [name, labels[name]!]) {
      // Label text is nearly always ASCII, whose UTF-8 bytes are its char codes: hashed without encoding.
      const bytes = isAscii(text) ? text : encoder.encode(text);
      for (let i = 0; i <= bytes.length; i++) {
        const byte = i === bytes.length ? SEPARATOR : typeof bytes === "string" ? bytes.charCodeAt(i) : bytes[i]!;
        const x = (lo ^ byte) >>> 0;
        const low = x * PRIME_LOW;
        lo = low >>> 0;
        hi = (hi * PRIME_LOW + Math.floor(low / TWO_32) + (x << 8)) >>> 0;
      }
    }
  }
  return hi.toString(16).padStart(8, "0") + lo.toString(16).padStart(8, "0");
}

function isAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0x7f) return false;
  return true;
}
