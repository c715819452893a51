-- Counters every web replica adds to (ingest batches, events, errors) so /metrics reads the same
-- fleet-wide totals from any replica. Each counter is spread over a few shards (rows) so concurrent
-- batches do not queue on one row lock; /metrics sums the shards (services/metric-counters.ts).
CREATE TABLE "MetricCounter" (
    "name" TEXT NOT NULL,
    "shard" INTEGER NOT NULL,
    "value" BIGINT NOT NULL,

    CONSTRAINT "MetricCounter_pkey" PRIMARY KEY ("name","shard")
);

-- Status badges at unguessable URLs: only the token's SHA-256 is kept (services/badges.ts).
CREATE TABLE "Badge" (
    "id" UUID NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "scope" TEXT NOT NULL,
    "server" TEXT,
    "nodeId" UUID,
    "note" TEXT,
    "createdBy" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "revokedAt" TIMESTAMPTZ(3),
    "revokedBy" TEXT,

    CONSTRAINT "Badge_pkey" PRIMARY KEY ("id")
);

CREATE UNIQUE INDEX "Badge_tokenHash_key" ON "Badge"("tokenHash");

CREATE INDEX "Badge_nodeId_idx" ON "Badge"("nodeId");

ALTER TABLE "Badge" ADD CONSTRAINT "Badge_nodeId_fkey" FOREIGN KEY ("nodeId") REFERENCES "Node"("id") ON DELETE CASCADE ON UPDATE CASCADE;
