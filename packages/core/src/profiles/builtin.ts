import type { ProfileRule } from "./match";
import type { ProfilePolicy } from "./policy";

export interface BuiltInProfile {
  name: string;
  description: string;
  isDefault: boolean;
  position: number;
  rules: ProfileRule[];
  policy: ProfilePolicy;
}

/**
 * The profiles a new site starts with; staff edit them like their own. A server must be backed up
 * every night and says so loudly; a laptop is often asleep or away, so one missed night is no
 * news and only days without a backup are; a workstation takes the site's settings.
 */
export const builtInProfiles: readonly BuiltInProfile[] = [
  {
    name: "server",
    description: "Backed up every night; a miss or a failure is news at once.",
    isDefault: false,
    position: 10,
    rules: [{ namePattern: "*-SRV*" }, { os: ["unix"] }],
    policy: { missesInARow: 1, failuresInARow: 2, atRiskHours: 26, judgeGraceMinutes: 10, backupSeverity: "critical" },
  },
  {
    name: "laptop",
    description: "Often asleep or away: days without a backup are news, one missed night is not.",
    isDefault: false,
    position: 20,
    rules: [{ namePattern: "*-LT*" }, { namePattern: "*-MAC*" }],
    policy: { missesInARow: 5, missesOfLast: { m: 5, k: 7 }, atRiskHours: 96, judgeGraceMinutes: 60, backupSeverity: "info" },
  },
  {
    name: "workstation",
    description: "Desktops: the site's settings.",
    isDefault: true,
    position: 30,
    rules: [],
    policy: {},
  },
];
