import type { Metadata } from "next";
import { headers } from "next/headers";
import { BadgeForm } from "~/components/settings/badge-form";
import { BadgesTable } from "~/components/settings/badges-table";
import { adminApi } from "~/server/trpc";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Badges · Settings · Fleetwatch" };

export default async function BadgesSettingsPage() {
  const session = await adminApi();
  if (!session) return null;
  const [badges, h] = await Promise.all([session.trpc.admin.badges(), headers()]);
  const siteUrl = `${h.get("x-forwarded-proto") ?? "http"}://${h.get("x-forwarded-host") ?? h.get("host") ?? "localhost"}`;
  return (
    <div className="stack">
      <BadgeForm siteUrl={siteUrl} />
      <section aria-labelledby="badges-title">
        <h2 id="badges-title">Badges ({badges.length})</h2>
        <BadgesTable badges={badges} now={new Date()} />
      </section>
    </div>
  );
}
