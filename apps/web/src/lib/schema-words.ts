/** A JSON Schema (as in an OpenAPI 3.1 document) in a few words for the API page: `string (uuid) or null`, `array of Node`. */
export type JsonSchema = {
  $ref?: string;
  type?: string | string[];
  format?: string;
  enum?: unknown[];
  items?: JsonSchema;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: JsonSchema | boolean;
  anyOf?: JsonSchema[];
  allOf?: JsonSchema[];
  description?: string;
  default?: unknown;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
};

export const refName = (ref: string) => ref.split("/").at(-1) ?? ref;

export function schemaWords(schema: JsonSchema | undefined): string {
  if (!schema) return "any";
  if (schema.$ref) return refName(schema.$ref);
  if (schema.enum) return `one of ${schema.enum.map((v) => JSON.stringify(v)).join(", ")}`;
  if (schema.anyOf) return schema.anyOf.map(schemaWords).join(" or ");
  if (schema.allOf) return schema.allOf.map(schemaWords).join(" and ");
  const types = Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : [];
  const words = types.map((t) => {
    if (t === "array") return `array of ${schemaWords(schema.items)}`;
    if (t === "object" && !schema.properties && typeof schema.additionalProperties === "object")
      return `map of ${schemaWords(schema.additionalProperties)}`;
    if (t === "object" && schema.properties) return `object with ${Object.keys(schema.properties).join(", ")}`;
    if (t === "string" && schema.format) return `string (${schema.format})`;
    return t;
  });
  return words.join(" or ") || "any";
}

/** Limits worth telling a caller: range, length, default. */
export function schemaLimits(schema: JsonSchema | undefined): string {
  if (!schema) return "";
  const parts: string[] = [];
  if (schema.minimum !== undefined || schema.maximum !== undefined) parts.push(`${schema.minimum ?? "…"}–${schema.maximum ?? "…"}`);
  if (schema.maxLength !== undefined) parts.push(`at most ${schema.maxLength} characters`);
  if (schema.default !== undefined) parts.push(`default ${JSON.stringify(schema.default)}`);
  return parts.join("; ");
}
