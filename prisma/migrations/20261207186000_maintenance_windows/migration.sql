-- Maintenance windows (core/maintenance): a bad night inside one is kept, marked with the
-- window that suppressed it, and never alerted.
CREATE TABLE "MaintenanceWindow" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "scope" TEXT NOT NULL,
    "target" TEXT NOT NULL DEFAULT '',
    "startsAt" TIMESTAMPTZ(3),
    "endsAt" TIMESTAMPTZ(3),
    "cron" TEXT,
    "timeZone" TEXT NOT NULL DEFAULT 'UTC',
    "durationMinutes" INTEGER,
    "createdBy" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "MaintenanceWindow_pkey" PRIMARY KEY ("id")
);

ALTER TABLE "Window" ADD COLUMN "maintenanceId" UUID;
ALTER TABLE "Window" ADD CONSTRAINT "Window_maintenanceId_fkey" FOREIGN KEY ("maintenanceId") REFERENCES "MaintenanceWindow"("id") ON DELETE SET NULL ON UPDATE CASCADE;
