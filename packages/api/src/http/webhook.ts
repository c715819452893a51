import { alertEventKind, alertSeverity, alertState } from "@fleetwatch/core/alerts";
import { z } from "zod";
import { DELIVERY_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER, type WebhookPayload } from "../services/alerts/alert-delivery";

/**
 * The alert webhook's body, version 2 (services/alerts/alert-delivery.ts builds it): one delivery per
 * event in an alert's life (opened, grew, escalated, acknowledged, resolved…). `version` names it;
 * a field added later is added here, a field changed or removed makes a new version.
 */
export const webhookPayloadV2 = z
  .object({
    version: z.literal(2),
    event: z
      .object({
        id: z.uuid().meta({ description: "The event's id: the same on a retry of the same delivery." }),
        kind: alertEventKind,
        at: z.iso.datetime(),
        detail: z.string().nullable().meta({ description: "What changed, in words (a note, a reason, the new count)." }),
      })
      .meta({ description: "What happened to the alert that this delivery is about." }),
    id: z.uuid().meta({ description: "The alert's id: one alert per problem (a node and a condition), for its whole life." }),
    kind: z.string().meta({ description: "The condition: `backup`, `locked`, `password`, `agent-silent`… (core/alerts)." }),
    severity: alertSeverity,
    state: alertState,
    title: z.string(),
    body: z.string(),
    node: z.object({ id: z.uuid(), name: z.string() }).nullable(),
    since: z.iso.datetime().nullable().meta({ description: "Since when the problem stands." }),
    occurrences: z.number().int().meta({ description: "How many bad nights or sightings so far." }),
    raisedAt: z.iso.datetime(),
    resolvedAt: z.iso.datetime().nullable(),
    sentAt: z.iso.datetime().meta({ description: "When this delivery was sent: the signature covers it, so a replay is visible." }),
  })
  .meta({ id: "WebhookPayloadV2", description: "The signed JSON body of an alert webhook, version 2." });

// The schema and the payload the server builds must stay one: the same fields, the schema's values
// a narrowing of the server's (its strings are enums here). The type check fails if they part; the
// webhook example's test checks real deliveries against the schema.
type Described = z.infer<typeof webhookPayloadV2>;
type Fits = [Described] extends [WebhookPayload] ? ([keyof WebhookPayload] extends [keyof Described] ? true : false) : false;
const _fits: Fits = true;
void _fits;

export const webhookHeaders = z.object({
  [SIGNATURE_HEADER]: z
    .string()
    .meta({ description: "`sha256=` and the hex HMAC-SHA256 of the raw body, keyed with FLEETWATCH_WEBHOOK_SECRET." }),
  [TIMESTAMP_HEADER]: z.string().meta({ description: "Unix seconds when it was sent; refuse old ones to stop replays." }),
  [DELIVERY_HEADER]: z.string().meta({ description: "The delivery's id: a retry after a lost 2xx carries the same one." }),
});
