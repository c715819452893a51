-- Records of agents' batches the server refused, kept so staff see them (the agent keeps the whole
-- record in its quarantine file).
CREATE TABLE "RejectedRecord" (
    "id" BIGSERIAL NOT NULL,
    "agentId" UUID NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "kind" TEXT NOT NULL,
    "node" TEXT,
    "reason" TEXT NOT NULL,
    "excerpt" TEXT NOT NULL,

    CONSTRAINT "RejectedRecord_pkey" PRIMARY KEY ("id")
);

CREATE INDEX "RejectedRecord_agentId_at_idx" ON "RejectedRecord"("agentId", "at" DESC);

ALTER TABLE "RejectedRecord" ADD CONSTRAINT "RejectedRecord_agentId_fkey" FOREIGN KEY ("agentId") REFERENCES "Agent"("id") ON DELETE CASCADE ON UPDATE CASCADE;
