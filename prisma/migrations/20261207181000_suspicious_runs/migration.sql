-- A completed run far from its node+schedule's typical one (core/diagnosis/suspicious):
-- { reasons: [...], text: [...] }; null when the run looked ordinary or was not judged.
ALTER TABLE "Window" ADD COLUMN "suspicion" JSONB;
