-- The judge's reads: the windows gone bad since its last run (alert-raise), the client's messages
-- around a span of time (diagnose-missed, flags), and each node's newest window that was not a
-- miss (duplicates: where its trailing run of misses begins), all from an index alone.

-- CreateIndex
CREATE INDEX "Window_nodeId_outcome_scheduledStart_idx" ON "Window"("nodeId", "outcome", "scheduledStart");

-- CreateIndex
CREATE INDEX "Window_updatedAt_idx" ON "Window"("updatedAt");

-- CreateIndex
CREATE INDEX "EventMessage_at_idx" ON "EventMessage"("at");
