-- One alert per problem (a node and a condition that is true now) with a lifecycle:
-- open -> acknowledged -> resolved, re-opened when it returns, assignable, with a history.

ALTER TABLE "Alert" RENAME COLUMN "clearedAt" TO "resolvedAt";
DROP INDEX "Alert_clearedAt_raisedAt_idx";
ALTER TABLE "Alert"
  ADD COLUMN "state" TEXT NOT NULL DEFAULT 'open',
  ADD COLUMN "since" TIMESTAMPTZ(3),
  ADD COLUMN "occurrences" INTEGER NOT NULL DEFAULT 1,
  ADD COLUMN "acknowledgeNote" TEXT,
  ADD COLUMN "resolvedBy" TEXT,
  ADD COLUMN "resolvedReason" TEXT,
  ADD COLUMN "assigneeId" UUID,
  ADD COLUMN "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP;
ALTER TABLE "Alert" ADD CONSTRAINT "Alert_assigneeId_fkey" FOREIGN KEY ("assigneeId") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

UPDATE "Alert" SET "since" = "raisedAt",
  "state" = CASE WHEN "resolvedAt" IS NOT NULL THEN 'resolved' WHEN "acknowledgedAt" IS NOT NULL THEN 'acknowledged' ELSE 'open' END;

-- Old alerts were one per night or per flag: each takes its problem's condition.
UPDATE "Alert" SET kind = CASE
    WHEN kind = 'window:suspicious' THEN 'suspicious-run'
    WHEN kind LIKE 'window:%' THEN 'backup'
    WHEN kind IN ('flag:repeated-misses', 'flag:repeated-failures', 'flag:at-risk', 'flag:needs-manual-backup') THEN 'backup'
    WHEN kind IN ('flag:password-expired', 'flag:password-expiring') THEN 'password'
    ELSE substr(kind, 6) END
 WHERE kind LIKE 'window:%' OR kind LIKE 'flag:%';

-- Of several live alerts of one problem, the newest goes on; the others are resolved into it.
WITH ranked AS (
  SELECT id, row_number() OVER (PARTITION BY "nodeId", kind ORDER BY ("resolvedAt" IS NULL) DESC, "raisedAt" DESC, id) AS n
    FROM "Alert"
   WHERE "nodeId" IS NOT NULL AND kind NOT IN ('digest', 'unlock-request')
)
UPDATE "Alert" a
   SET "dedupeKey" = CASE WHEN r.n = 1 THEN a.kind || ':' || a."nodeId" ELSE a.kind || ':' || a."nodeId" || ':' || a.id END,
       "state" = CASE WHEN r.n = 1 THEN a."state" ELSE 'resolved' END,
       "resolvedAt" = CASE WHEN r.n = 1 THEN a."resolvedAt" ELSE coalesce(a."resolvedAt", CURRENT_TIMESTAMP) END,
       "resolvedReason" = CASE WHEN r.n = 1 OR a."resolvedAt" IS NOT NULL THEN a."resolvedReason" ELSE 'merged into one alert per problem' END
  FROM ranked r
 WHERE r.id = a.id;

CREATE INDEX "Alert_state_severity_raisedAt_idx" ON "Alert"("state", "severity", "raisedAt");
DROP INDEX "Alert_nodeId_idx";
CREATE INDEX "Alert_nodeId_kind_idx" ON "Alert"("nodeId", "kind");
CREATE INDEX "Alert_assigneeId_idx" ON "Alert"("assigneeId");

-- What happened to an alert, and who did it; webhooks are sent per event.
CREATE TABLE "AlertEvent" (
    "id" UUID NOT NULL,
    "alertId" UUID NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,
    "kind" TEXT NOT NULL,
    "actor" TEXT,
    "detail" TEXT,
    -- Events of one instant (grew and escalated in one judge run) keep the order they were written in.
    "seq" BIGSERIAL NOT NULL,
    CONSTRAINT "AlertEvent_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "AlertEvent_alertId_seq_idx" ON "AlertEvent"("alertId", "seq");
ALTER TABLE "AlertEvent" ADD CONSTRAINT "AlertEvent_alertId_fkey" FOREIGN KEY ("alertId") REFERENCES "Alert"("id") ON DELETE CASCADE ON UPDATE CASCADE;

INSERT INTO "AlertEvent" (id, "alertId", at, kind, detail)
SELECT gen_random_uuid(), id, "raisedAt", 'opened', title FROM "Alert";

ALTER TABLE "AlertDelivery" ADD COLUMN "eventId" UUID;
UPDATE "AlertDelivery" d SET "eventId" = e.id FROM "AlertEvent" e WHERE e."alertId" = d."alertId";
ALTER TABLE "AlertDelivery" ALTER COLUMN "eventId" SET NOT NULL;
ALTER TABLE "AlertDelivery" ADD CONSTRAINT "AlertDelivery_eventId_fkey" FOREIGN KEY ("eventId") REFERENCES "AlertEvent"("id") ON DELETE CASCADE ON UPDATE CASCADE;
DROP INDEX "AlertDelivery_alertId_channel_target_key";
CREATE UNIQUE INDEX "AlertDelivery_eventId_channel_target_key" ON "AlertDelivery"("eventId", "channel", "target");
CREATE INDEX "AlertDelivery_alertId_idx" ON "AlertDelivery"("alertId");
