-- The judge's reads: the windows gone bad since its last run (alert-raise), and the client's
-- messages around a span of time (diagnose-missed, flags).

-- CreateIndex
CREATE INDEX "Window_updatedAt_idx" ON "Window"("updatedAt");

-- CreateIndex
CREATE INDEX "EventMessage_at_idx" ON "EventMessage"("at");
