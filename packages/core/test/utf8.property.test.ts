import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isUtf8 } from "../src/parse/utf8";

const fatal = new TextDecoder("utf-8", { fatal: true });
const decodes = (bytes: Uint8Array) => {
  try {
    fatal.decode(bytes);
    return true;
  } catch {
    return false;
  }
};

// Bytes near the edges of UTF-8's rules: lead bytes, continuation bytes, ASCII.
const edgy = fc.constantFrom(
  0x00,
  0x41,
  0x7f,
  0x80,
  0x8f,
  0x90,
  0x9f,
  0xa0,
  0xbf,
  0xc0,
  0xc1,
  0xc2,
  0xdf,
  0xe0,
  0xe1,
  0xec,
  0xed,
  0xee,
  0xef,
  0xf0,
  0xf1,
  0xf3,
  0xf4,
  0xf5,
  0xff,
);

describe("isUtf8", () => {
  it("agrees with a fatal TextDecoder on any bytes, at any offset of any buffer", () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(edgy, fc.integer({ min: 0, max: 255 })), { maxLength: 40 }), fc.nat({ max: 7 }), (list, offset) => {
        const buffer = new Uint8Array(list.length + offset);
        buffer.set(list, offset);
        const bytes = buffer.subarray(offset);
        expect(isUtf8(bytes, 0, bytes.length)).toBe(decodes(bytes));
      }),
      { numRuns: 20_000 },
    );
  });

  it("agrees on real text with a few bytes changed", () => {
    const text = new TextEncoder().encode("06/09/2022 20:00:06 ANS4037E Object '/home/jürgen/Grüße €𝄞.txt' changed during processing.");
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat({ max: text.length - 1 }), fc.integer({ min: 0, max: 255 })), { maxLength: 3 }), (edits) => {
        const bytes = Uint8Array.from(text);
        for (const [at, value] of edits) bytes[at] = value;
        expect(isUtf8(bytes, 0, bytes.length)).toBe(decodes(bytes));
      }),
      { numRuns: 5_000 },
    );
  });
});
