-- The overview's nightly outcomes, kept by PostgreSQL itself so that every writer of "Window"
-- (ingest, the judge, deletes) keeps them exact without knowing they exist.
--
-- Triggers only append to "NightlyOutcomeDelta" (never update a shared row): an ingest never
-- waits on another ingest, nor on the judge's long transaction, for a counter row. Readers fold
-- the deltas into "NightlyOutcome" now and then (services/nightly-rollup.ts). Both tables are
-- keyed by the window's local night (as the overview buckets it) and the UTC hour of its
-- scheduled start (so a reader can cut "the last N days" exactly). Deregistration is not kept
-- here: the reader takes deregistered nodes' windows back out, so a node's state never races
-- its windows.

-- CreateTable
CREATE TABLE "NightlyOutcome" (
    "hour" TIMESTAMPTZ(3) NOT NULL,
    "night" TEXT NOT NULL,
    "outcome" "WindowOutcome" NOT NULL,
    "windows" INTEGER NOT NULL,
    "bytes" BIGINT NOT NULL,
    "elapsedSum" BIGINT NOT NULL,
    "elapsedCount" INTEGER NOT NULL,

    CONSTRAINT "NightlyOutcome_pkey" PRIMARY KEY ("hour","night","outcome")
);

-- CreateTable
CREATE TABLE "NightlyOutcomeDelta" (
    "id" BIGSERIAL NOT NULL,
    "hour" TIMESTAMPTZ(3) NOT NULL,
    "night" TEXT NOT NULL,
    "outcome" "WindowOutcome" NOT NULL,
    "windows" INTEGER NOT NULL,
    "bytes" BIGINT NOT NULL,
    "elapsedSum" BIGINT NOT NULL,
    "elapsedCount" INTEGER NOT NULL,

    CONSTRAINT "NightlyOutcomeDelta_pkey" PRIMARY KEY ("id")
);

-- Statement-level triggers: a bulk write (an ingest batch, the judge's MISSED
-- windows, a node's cascade delete) appends one row per (hour, night, outcome), not per window.
CREATE FUNCTION "nightly_outcome_added"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "NightlyOutcomeDelta" ("hour", "night", "outcome", "windows", "bytes", "elapsedSum", "elapsedCount")
  SELECT date_trunc('hour', "scheduledStart", 'UTC'), substr("localStart", 1, 10), "outcome",
         count(*), coalesce(sum("bytesTransferred"), 0), coalesce(sum("elapsedSeconds"), 0), count("elapsedSeconds")
    FROM added GROUP BY 1, 2, 3;
  RETURN NULL;
END $$;

CREATE FUNCTION "nightly_outcome_removed"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "NightlyOutcomeDelta" ("hour", "night", "outcome", "windows", "bytes", "elapsedSum", "elapsedCount")
  SELECT date_trunc('hour', "scheduledStart", 'UTC'), substr("localStart", 1, 10), "outcome",
         -count(*), -coalesce(sum("bytesTransferred"), 0), -coalesce(sum("elapsedSeconds"), 0), -count("elapsedSeconds")
    FROM removed GROUP BY 1, 2, 3;
  RETURN NULL;
END $$;

-- Statement-level for updates too: an ingest that replaces a batch of windows appends one row per
-- key it moved, not two per window. Updates that move nothing (the judge's one-row diagnosis
-- updates) net to zero per key and append nothing.
CREATE FUNCTION "nightly_outcome_changed"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "NightlyOutcomeDelta" ("hour", "night", "outcome", "windows", "bytes", "elapsedSum", "elapsedCount")
  SELECT "hour", "night", "outcome", sum("windows"), sum("bytes"), sum("elapsedSum"), sum("elapsedCount")
    FROM (SELECT date_trunc('hour', "scheduledStart", 'UTC') AS "hour", substr("localStart", 1, 10) AS "night", "outcome",
                 -1 AS "windows", -coalesce("bytesTransferred", 0) AS "bytes", -coalesce("elapsedSeconds", 0) AS "elapsedSum",
                 -("elapsedSeconds" IS NOT NULL)::int AS "elapsedCount"
            FROM old_rows
          UNION ALL
          SELECT date_trunc('hour', "scheduledStart", 'UTC'), substr("localStart", 1, 10), "outcome",
                 1, coalesce("bytesTransferred", 0), coalesce("elapsedSeconds", 0), ("elapsedSeconds" IS NOT NULL)::int
            FROM new_rows) d
   GROUP BY 1, 2, 3
  HAVING sum("windows") <> 0 OR sum("bytes") <> 0 OR sum("elapsedSum") <> 0 OR sum("elapsedCount") <> 0;
  RETURN NULL;
END $$;

CREATE FUNCTION "nightly_outcome_truncated"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  TRUNCATE "NightlyOutcome", "NightlyOutcomeDelta";
  RETURN NULL;
END $$;

CREATE TRIGGER "Window_nightly_added" AFTER INSERT ON "Window"
  REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION "nightly_outcome_added"();

CREATE TRIGGER "Window_nightly_removed" AFTER DELETE ON "Window"
  REFERENCING OLD TABLE AS removed FOR EACH STATEMENT EXECUTE FUNCTION "nightly_outcome_removed"();

CREATE TRIGGER "Window_nightly_changed" AFTER UPDATE ON "Window"
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "nightly_outcome_changed"();

CREATE TRIGGER "Window_nightly_truncated" AFTER TRUNCATE ON "Window"
  FOR EACH STATEMENT EXECUTE FUNCTION "nightly_outcome_truncated"();

-- Backfill: the windows already stored.
INSERT INTO "NightlyOutcome" ("hour", "night", "outcome", "windows", "bytes", "elapsedSum", "elapsedCount")
SELECT date_trunc('hour', "scheduledStart", 'UTC'), substr("localStart", 1, 10), "outcome",
       count(*), coalesce(sum("bytesTransferred"), 0), coalesce(sum("elapsedSeconds"), 0), count("elapsedSeconds")
  FROM "Window" GROUP BY 1, 2, 3;
