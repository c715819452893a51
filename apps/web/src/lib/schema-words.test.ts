import { describe, expect, it } from "vitest";
import { schemaLimits, schemaWords } from "./schema-words";

describe("schemaWords", () => {
  it("names references, nullable types, arrays, maps and enums as a person reads them", () => {
    expect(schemaWords({ $ref: "#/components/schemas/NodeRow" })).toBe("NodeRow");
    expect(schemaWords({ type: ["string", "null"], format: "date-time" })).toBe("string (date-time) or null");
    expect(schemaWords({ type: "array", items: { $ref: "#/components/schemas/Flag" } })).toBe("array of Flag");
    expect(schemaWords({ type: "object", additionalProperties: { type: "integer" } })).toBe("map of integer");
    expect(schemaWords({ type: "string", enum: ["open", "all"] })).toBe('one of "open", "all"');
    expect(schemaWords({ type: "object", properties: { status: { type: "integer" }, message: { type: "string" } } })).toBe(
      "object with status, message",
    );
    expect(schemaLimits({ type: "integer", minimum: 1, maximum: 500, default: 50 })).toBe("1–500; default 50");
  });
});
