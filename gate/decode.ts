/**
 * What encoding a JSON file arrived in. Terraform writes UTF-8, but `terraform show -json plan >
 * plan.json` in Windows PowerShell 5 writes UTF-16 LE with a byte-order mark, and some editors and
 * tools add a UTF-8 BOM. JSON's own rule (RFC 8259 §8.1) is UTF-8; the others are accepted because
 * refusing a plan for how a shell redirected it helps nobody.
 */
export type TextEncoding = "utf-8" | "utf-16le" | "utf-16be";

export interface DecodedText {
  text: string;
  encoding: TextEncoding;
  /** True when the file started with a byte-order mark (dropped from text). */
  bom: boolean;
}

export class DecodeError extends Error {}

function decode(bytes: Uint8Array, encoding: TextEncoding): string {
  try {
    return new TextDecoder(encoding, { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    throw new DecodeError(`not valid ${encoding.toUpperCase()} text`);
  }
}

/**
 * UTF-16 without a byte-order mark, recognised the way RFC 4627 §3 did: JSON starts with an ASCII
 * character, so one of the first two bytes is zero.
 */
function bomlessUtf16(bytes: Uint8Array): TextEncoding | undefined {
  if (bytes.length < 2 || bytes.length % 2 !== 0) return undefined;
  if (bytes[0] !== 0 && bytes[1] === 0) return "utf-16le";
  if (bytes[0] === 0 && bytes[1] !== 0) return "utf-16be";
  return undefined;
}

/** Decodes a file's bytes: UTF-8 with or without a BOM, or UTF-16 (LE or BE) with a BOM. */
export function decodeText(bytes: Uint8Array): DecodedText {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    return { text: decode(bytes.subarray(3), "utf-8"), encoding: "utf-8", bom: true };
  }
  if (bytes[0] === 0xff && bytes[1] === 0xfe) {
    return { text: decode(bytes.subarray(2), "utf-16le"), encoding: "utf-16le", bom: true };
  }
  if (bytes[0] === 0xfe && bytes[1] === 0xff) {
    return { text: decode(bytes.subarray(2), "utf-16be"), encoding: "utf-16be", bom: true };
  }
  const utf16 = bomlessUtf16(bytes);
  if (utf16 !== undefined) return { text: decode(bytes, utf16), encoding: utf16, bom: false };
  return { text: decode(bytes, "utf-8"), encoding: "utf-8", bom: false };
}
