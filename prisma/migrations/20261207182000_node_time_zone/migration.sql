-- The machine's IANA time zone (Europe/London), from its agent's heartbeats: the judge places each
-- expected window with the offset of its own night, across daylight-saving changes. Null: only the
-- one utcOffsetMinutes of the node's log is known.
ALTER TABLE "Node" ADD COLUMN "timeZone" TEXT;
