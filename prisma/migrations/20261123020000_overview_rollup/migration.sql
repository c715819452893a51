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

-- Statement-level for inserts and deletes: a bulk write (an ingest batch, the judge's MISSED
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

-- Row-level for updates, behind a WHEN: the judge's many one-row updates of a diagnosis never
-- call the function at all.
CREATE FUNCTION "nightly_outcome_changed"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "NightlyOutcomeDelta" ("hour", "night", "outcome", "windows", "bytes", "elapsedSum", "elapsedCount")
  VALUES (date_trunc('hour', OLD."scheduledStart", 'UTC'), substr(OLD."localStart", 1, 10), OLD."outcome", -1,
          -coalesce(OLD."bytesTransferred", 0), -coalesce(OLD."elapsedSeconds", 0), -(OLD."elapsedSeconds" IS NOT NULL)::int),
         (date_trunc('hour', NEW."scheduledStart", 'UTC'), substr(NEW."localStart", 1, 10), NEW."outcome", 1,
          coalesce(NEW."bytesTransferred", 0), coalesce(NEW."elapsedSeconds", 0), (NEW."elapsedSeconds" IS NOT NULL)::int);
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

CREATE TRIGGER "Window_nightly_changed"
  AFTER UPDATE OF "scheduledStart", "localStart", "outcome", "bytesTransferred", "elapsedSeconds" ON "Window"
  FOR EACH ROW
  WHEN (OLD."scheduledStart" IS DISTINCT FROM NEW."scheduledStart" OR OLD."localStart" IS DISTINCT FROM NEW."localStart"
        OR OLD."outcome" IS DISTINCT FROM NEW."outcome" OR OLD."bytesTransferred" IS DISTINCT FROM NEW."bytesTransferred"
        OR OLD."elapsedSeconds" IS DISTINCT FROM NEW."elapsedSeconds")
  EXECUTE FUNCTION "nightly_outcome_changed"();

CREATE TRIGGER "Window_nightly_truncated" AFTER TRUNCATE ON "Window"
  FOR EACH STATEMENT EXECUTE FUNCTION "nightly_outcome_truncated"();

-- Backfill: the windows already stored.
INSERT INTO "NightlyOutcome" ("hour", "night", "outcome", "windows", "bytes", "elapsedSum", "elapsedCount")
SELECT date_trunc('hour', "scheduledStart", 'UTC'), substr("localStart", 1, 10), "outcome",
       count(*), coalesce(sum("bytesTransferred"), 0), coalesce(sum("elapsedSeconds"), 0), count("elapsedSeconds")
  FROM "Window" GROUP BY 1, 2, 3;
