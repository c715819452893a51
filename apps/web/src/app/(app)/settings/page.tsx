import type { Metadata } from "next";
import { ChannelsForm } from "~/components/settings/channels-form";
import { ThresholdsForm } from "~/components/settings/thresholds-form";
import { adminApi } from "~/server/trpc";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Settings · Fleetwatch" };

export default async function SettingsPage() {
  const session = await adminApi();
  if (!session) return null;
  const settings = await session.trpc.admin.settings();
  return (
    <div className="stack">
      <ThresholdsForm site={settings.site} />
      <ChannelsForm channels={settings.channels} />
    </div>
  );
}
