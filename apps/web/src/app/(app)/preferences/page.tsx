import type { Metadata } from "next";
import { PreferencesForm } from "~/components/preferences/preferences-form";
import { chosenTheme } from "~/server/theme";
import { api } from "~/server/trpc";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Preferences · Fleetwatch" };

/** Everyone's own page (any role): how times and colours show for them. */
export default async function PreferencesPage() {
  const { zone } = await api();
  const zones = [...Intl.supportedValuesOf("timeZone"), "UTC"].sort();
  return (
    <>
      <div className="page-head">
        <h1>Preferences</h1>
        <span className="sub">Times now show in {zone.zone}.</span>
      </div>
      <PreferencesForm zones={zones} chosenZone={zone.chosen} browserZone={zone.browser} theme={await chosenTheme()} />
    </>
  );
}
