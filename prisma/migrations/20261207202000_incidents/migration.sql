-- Incidents (core/alerts/incidents): many nodes failing the same night for one cause are one
-- incident, an alert of kind 'incident' with no node; each node's own alert points to it.
ALTER TABLE "Alert" ADD COLUMN "incidentId" UUID;
ALTER TABLE "Alert" ADD CONSTRAINT "Alert_incidentId_fkey" FOREIGN KEY ("incidentId") REFERENCES "Alert"("id") ON DELETE SET NULL ON UPDATE CASCADE;
CREATE INDEX "Alert_incidentId_idx" ON "Alert"("incidentId");
