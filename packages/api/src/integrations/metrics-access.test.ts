import { describe, expect, it } from "vitest";
import { parseServerEnv } from "../config/server-config";
import { addressAllowed, parseAllowList } from "./metrics-access";

describe("the /metrics allow-list", () => {
  it("allows only loopback by default", () => {
    const list = parseAllowList(undefined);
    expect(addressAllowed(list, "127.0.0.1")).toBe(true);
    expect(addressAllowed(list, "::1")).toBe(true);
    expect(addressAllowed(list, "10.1.2.3")).toBe(false);
    expect(addressAllowed(list, null)).toBe(false);
  });

  it("matches addresses and CIDR blocks of both families", () => {
    const list = parseAllowList("10.0.0.0/8, 192.0.2.7, fd00::/8");
    expect(addressAllowed(list, "10.200.3.4")).toBe(true);
    expect(addressAllowed(list, "192.0.2.7")).toBe(true);
    expect(addressAllowed(list, "192.0.2.8")).toBe(false);
    expect(addressAllowed(list, "fd12::1")).toBe(true);
    expect(addressAllowed(list, "127.0.0.1")).toBe(false);
    expect(addressAllowed(list, "not-an-address")).toBe(false);
  });

  it("allows no address with none", () => {
    expect(addressAllowed(parseAllowList("none"), "127.0.0.1")).toBe(false);
  });

  it("refuses a malformed entry in one line", () => {
    expect(() => parseServerEnv({ FLEETWATCH_METRICS_ALLOW: "10.0.0.0/33" })).toThrow(
      /^FLEETWATCH_METRICS_ALLOW has '10.0.0.0\/33', which is not an address or CIDR block/,
    );
    expect(() => parseAllowList("intranet")).toThrow(/'intranet'/);
    expect(() => parseAllowList("10.0.0.1/8/2")).toThrow(/'10.0.0.1\/8\/2'/);
  });
});
