import type { ProfilePolicy } from "@fleetwatch/core/profiles";
import type { SiteSettings } from "@fleetwatch/core/settings";

/**
 * The settings a profile or a node's override may change. An empty field falls through to the
 * layer below, whose value shows as the placeholder.
 */
export function PolicyFields({ value, below, bypass }: { value: ProfilePolicy; below: SiteSettings; bypass: boolean }) {
  const number = (name: keyof SiteSettings & keyof ProfilePolicy, label: string, max = 100_000) => (
    <label className="field">
      {label}
      <input
        name={name}
        type="number"
        min={name === "judgeGraceMinutes" ? 0 : 1}
        max={max}
        defaultValue={typeof value[name] === "number" ? (value[name] as number) : ""}
        placeholder={String(below[name])}
      />
    </label>
  );
  const mOfK = (name: "missesOfLast" | "failuresOfLast", label: string) => (
    <fieldset className="field" style={{ border: 0, padding: 0, margin: 0 }}>
      <legend>{label}</legend>
      <span style={{ display: "flex", gap: "0.3rem", alignItems: "center" }}>
        <input
          name={`${name}.m`}
          type="number"
          min={1}
          max={100}
          aria-label={`${label}: M`}
          defaultValue={value[name]?.m ?? ""}
          placeholder={String(below[name].m)}
          style={{ width: "4.5rem" }}
        />
        of the last
        <input
          name={`${name}.k`}
          type="number"
          min={1}
          max={100}
          aria-label={`${label}: K`}
          defaultValue={value[name]?.k ?? ""}
          placeholder={String(below[name].k)}
          style={{ width: "4.5rem" }}
        />
      </span>
    </fieldset>
  );
  const yesNo = (v: boolean | undefined) => (v === undefined ? "" : v ? "yes" : "no");
  return (
    <div style={{ display: "grid", gridTemplateColumns: "repeat(auto-fit, minmax(13rem, 1fr))", gap: "0.6rem", alignItems: "end" }}>
      {bypass && (
        <label className="field">
          Alerts
          <select name="bypass" defaultValue={yesNo(value.bypass)}>
            <option value="">as its profile</option>
            <option value="no">alerted as usual</option>
            <option value="yes">bypassed: watched, never alerted</option>
          </select>
        </label>
      )}
      {number("missesInARow", "Repeated misses after (nights in a row)")}
      {mOfK("missesOfLast", "…or missed")}
      {number("failuresInARow", "Repeated failures after (nights in a row)")}
      {mOfK("failuresOfLast", "…or failed")}
      {number("atRiskHours", "At risk after (hours without a backup)")}
      {number("judgeGraceMinutes", "Grace before MISSED (minutes)", 1440)}
      <label className="field">
        Skipped files (rc 4)
        <select name="skippedCountsAsFailure" defaultValue={yesNo(value.skippedCountsAsFailure)}>
          <option value="">as below (a backup)</option>
          <option value="no">count as a backup</option>
          <option value="yes">count as a failure</option>
        </select>
      </label>
      <label className="field">
        “Not backed up” alerts
        <select name="backupSeverity" defaultValue={value.backupSeverity ?? ""}>
          <option value="">by the rules</option>
          <option value="critical">critical</option>
          <option value="warning">warning</option>
          <option value="info">info</option>
        </select>
      </label>
      {number("staleDays", "Stale after (days without contact)")}
      {number("staleAgainDays", "Warned again at (days)")}
      {number("staleRemovalDays", "Deregistration proposed at (days)")}
    </div>
  );
}
