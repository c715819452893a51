-- The built-in profiles (packages/core/src/profiles/builtin.ts, builtInProfiles), seeded once here
-- instead of checked for on every judge run and page read; staff then edit or delete them like
-- their own (a test keeps these rows equal to core's). A site whose judge already seeded them (the
-- "profiles.seeded" setting) keeps the profiles it has: staff may have changed or deleted them.
INSERT INTO "Profile" ("id", "name", "description", "isDefault", "position", "rules", "policy")
SELECT gen_random_uuid(), v.name, v.description, v."isDefault", v.position, v.rules::jsonb, v.policy::jsonb
  FROM (VALUES
    ('server', 'Backed up every night; a miss or a failure is news at once.', false, 10, '[{"namePattern": "*-SRV*"}, {"os": ["unix"]}]', '{"missesInARow": 1, "failuresInARow": 2, "atRiskHours": 26, "judgeGraceMinutes": 10, "backupSeverity": "critical"}'),
    ('laptop', 'Often asleep or away: days without a backup are news, one missed night is not.', false, 20, '[{"namePattern": "*-LT*"}, {"namePattern": "*-MAC*"}]', '{"missesInARow": 5, "missesOfLast": {"m": 5, "k": 7}, "atRiskHours": 96, "judgeGraceMinutes": 60, "backupSeverity": "info"}'),
    ('workstation', 'Desktops: the site''s settings.', true, 30, '[]', '{}')
  ) AS v(name, description, "isDefault", position, rules, policy)
 WHERE NOT EXISTS (SELECT 1 FROM "Setting" WHERE "key" = 'profiles.seeded')
ON CONFLICT ("name") DO NOTHING;
