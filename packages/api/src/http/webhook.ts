import { z } from "zod";
import { DELIVERY_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER, type WebhookPayload } from "../services/alert-delivery";

/**
 * Version 1 of the alert webhook's body (services/alert-delivery.ts builds it; `User-Agent:
 * Fleetwatch-Webhook/1` names the version). A field added later is added here; a field changed or
 * removed is version 2, sent under a new User-Agent.
 */
export const webhookPayloadV1 = z
  .object({
    id: z.uuid().meta({ description: "The alert's id; the same alert may be sent again when its words change." }),
    kind: z.string().meta({ description: "What the alert is about, e.g. `window:failed`, `flag:locked`." }),
    severity: z.string().meta({ description: "`critical`, `warning` or `info`." }),
    title: z.string(),
    body: z.string(),
    node: z.object({ id: z.uuid(), name: z.string() }).nullable(),
    raisedAt: z.iso.datetime(),
    clearedAt: z.iso.datetime().nullable(),
    sentAt: z.iso.datetime().meta({ description: "When this delivery was sent: the signature covers it, so a replay is visible." }),
  })
  .meta({ id: "WebhookPayloadV1", description: "The signed JSON body of an alert webhook, version 1." });

// The schema and the payload the server builds must stay one: this fails the type check if they part.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const _same: Same<z.infer<typeof webhookPayloadV1>, WebhookPayload> = true;
void _same;

export const webhookHeaders = z.object({
  [SIGNATURE_HEADER]: z
    .string()
    .meta({ description: "`sha256=` and the hex HMAC-SHA256 of the raw body, keyed with FLEETWATCH_WEBHOOK_SECRET." }),
  [TIMESTAMP_HEADER]: z.string().meta({ description: "Unix seconds when it was sent; refuse old ones to stop replays." }),
  [DELIVERY_HEADER]: z.string().meta({ description: "The delivery's id: a retry after a lost 2xx carries the same one." }),
});
