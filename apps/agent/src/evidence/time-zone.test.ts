import { describe, expect, it } from "vitest";
import { intlTimeZone, machineTimeZone, PRINT_TIME_ZONE } from "./time-zone";

describe("machine time zone", () => {
  it("is what the copy prints, asked with the variable set", async () => {
    const copy = [process.execPath, "-e", `process.stdout.write(process.env.${PRINT_TIME_ZONE} === "1" ? "Europe/Vienna\\n" : "no")`];
    expect(await machineTimeZone(copy)).toBe("Europe/Vienna");
  });

  it("is Intl's here when the copy cannot run, or outside the build", async () => {
    expect(await machineTimeZone(["/nonexistent/fleetwatch-agent"])).toBe(intlTimeZone());
    expect(await machineTimeZone(null)).toBe(intlTimeZone());
    expect(await machineTimeZone()).toBe(intlTimeZone());
  });
});
