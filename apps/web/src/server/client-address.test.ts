import { describe, expect, it } from "vitest";
import { clientAddress } from "./client-address";

describe("the client's address", () => {
  it("is the last X-Forwarded-For entry: the one the nearest hop added, not what the client wrote before it", () => {
    expect(clientAddress(new Headers({ "x-forwarded-for": "6.6.6.6, 203.0.113.9" }))).toBe("203.0.113.9");
    expect(clientAddress({ "x-forwarded-for": "203.0.113.9" })).toBe("203.0.113.9");
  });

  it("reads X-Real-IP only without X-Forwarded-For, and spells IPv4-mapped IPv6 as IPv4", () => {
    expect(clientAddress({ "x-real-ip": "::ffff:127.0.0.1" })).toBe("127.0.0.1");
    expect(clientAddress({ "x-real-ip": "198.51.100.1", "x-forwarded-for": "203.0.113.9" })).toBe("203.0.113.9");
  });

  it("is unknown when absent or not an address", () => {
    expect(clientAddress({})).toBeNull();
    expect(clientAddress({ "x-forwarded-for": "<script>" })).toBeNull();
    expect(clientAddress({ "x-forwarded-for": "1".repeat(100) })).toBeNull();
  });
});
