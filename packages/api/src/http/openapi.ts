import { OpenAPIRegistry, OpenApiGeneratorV31 } from "@asteasolutions/zod-to-openapi";
import { operations } from "./routes";
import { apiError } from "./schemas";
import { webhookHeaders, webhookPayloadV2 } from "./webhook";

export const API_BASE = "/api/v1";

const errorResponse = (description: string) => ({ description, content: { "application/json": { schema: apiError } } });

/**
 * The OpenAPI 3.1 document of /api/v1, generated from the operations' zod schemas (routes.ts), with
 * the alert webhook under `webhooks`. Made once per process.
 */
function build() {
  const registry = new OpenAPIRegistry();
  const bearer = registry.registerComponent("securitySchemes", "apiKey", {
    type: "http",
    scheme: "bearer",
    description: "An API key (`fw_…`) an admin made in Settings → API keys: `Authorization: Bearer fw_…`.",
  });
  for (const op of operations) {
    registry.registerPath({
      method: op.method,
      path: `${API_BASE}${op.path}`,
      operationId: op.operationId,
      tags: [op.tag],
      summary: op.summary,
      description: [op.description, `Needs a key acting as ${op.role} or above.`].filter(Boolean).join(" "),
      security: [{ [bearer.name]: [] }],
      request: {
        ...(op.params ? { params: op.params } : {}),
        ...(op.query ? { query: op.query } : {}),
        ...(op.body ? { body: { required: true, content: { "application/json": { schema: op.body } } } } : {}),
      },
      responses: {
        200: { description: "OK", content: { "application/json": { schema: op.response } } },
        400: errorResponse("The input is not valid: the message names the first bad field."),
        401: errorResponse("No API key, or one that is unknown, revoked or expired."),
        403: errorResponse("The key's scope does not allow this."),
        ...(op.params ? { 404: errorResponse("No such record.") } : {}),
        ...(op.conflict ? { 409: errorResponse(op.conflict) } : {}),
      },
    });
  }
  registry.registerWebhook({
    method: "post",
    path: "alert",
    operationId: "alertWebhook",
    summary: "An alert, sent to each configured webhook URL (Settings → Alert channels)",
    description:
      "Verify `X-Fleetwatch-Signature` over the raw body before parsing it (the README has a receiver). Any 2xx is delivered; 408, 429 and 5xx are retried with backoff (Retry-After honoured); other 4xx fail at once.",
    request: { headers: webhookHeaders, body: { required: true, content: { "application/json": { schema: webhookPayloadV2 } } } },
    responses: { 200: { description: "Received (any 2xx)." } },
  });
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: "3.1.0",
    info: {
      title: "Fleetwatch API",
      version: "1.0.0",
      description:
        "Read the fleet's nodes, windows, flags and alerts, and act on them, with an API key. Errors are one JSON shape with a one-line message. Lists are paged by cursor: pass `nextCursor` back as `cursor` until it is null.",
    },
    servers: [{ url: "/" }],
    tags: [
      { name: "nodes", description: "Backup clients (TSM nodes)." },
      { name: "windows", description: "Scheduled backup windows and their outcomes." },
      { name: "flags", description: "Standing conditions on nodes." },
      { name: "alerts", description: "What staff are told about." },
      { name: "fleet", description: "The whole fleet." },
    ],
  });
}

let document: ReturnType<typeof build> | undefined;
export function openApiDocument() {
  document ??= build();
  return document;
}
