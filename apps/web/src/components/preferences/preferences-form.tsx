"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { THEME_COOKIE, ZONE_COOKIE } from "~/lib/zone";

const YEAR = 60 * 60 * 24 * 365;

function setCookie(name: string, value: string | null) {
  // biome-ignore lint/suspicious/noDocumentCookie: IANA zone names and theme words need no escaping; the Cookie Store API is not in every browser.
  document.cookie =
    value === null ? `${name}=; path=/; max-age=0; samesite=lax` : `${name}=${value}; path=/; max-age=${YEAR}; samesite=lax`;
}

/**
 * The viewer's own preferences, kept in this browser: the time zone pages show times in (their
 * browser's unless they choose one), and light or dark (the system's unless they choose).
 */
export function PreferencesForm({
  zones,
  chosenZone,
  browserZone,
  theme,
}: {
  zones: string[];
  chosenZone: string | null;
  browserZone: string | null;
  theme: "light" | "dark" | null;
}) {
  const router = useRouter();
  const [saved, setSaved] = useState(false);
  function change(name: string, value: string) {
    setCookie(name, value === "" ? null : value);
    setSaved(true);
    router.refresh();
  }
  return (
    <form className="panel form" onSubmit={(e) => e.preventDefault()} aria-label="Preferences">
      <label className="field">
        Show times in
        <select name="timeZone" defaultValue={chosenZone ?? ""} onChange={(e) => change(ZONE_COOKIE, e.currentTarget.value)}>
          <option value="">Your browser's time zone{browserZone ? ` (${browserZone})` : ""}</option>
          {zones.map((z) => (
            <option key={z} value={z}>
              {z}
            </option>
          ))}
        </select>
      </label>
      <p className="muted">A node's own local time shows when you point at one of its times.</p>
      <fieldset className="field">
        <legend>Appearance</legend>
        {(
          [
            ["", "As the system is set"],
            ["light", "Light"],
            ["dark", "Dark"],
          ] as const
        ).map(([value, label]) => (
          <label key={value} className="check">
            <input
              type="radio"
              name="theme"
              value={value}
              defaultChecked={(theme ?? "") === value}
              onChange={() => change(THEME_COOKIE, value)}
            />{" "}
            {label}
          </label>
        ))}
      </fieldset>
      <p role="status" className="muted">
        {saved ? "Saved for this browser." : ""}
      </p>
    </form>
  );
}
