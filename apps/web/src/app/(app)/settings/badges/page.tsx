import type { Metadata } from "next";
import { headers } from "next/headers";
import { BadgeForm } from "~/components/settings/badge-form";
import { BadgesTable } from "~/components/settings/badges-table";
import { siteUrl } from "~/server/site-url";
import { adminApi } from "~/server/trpc";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Badges · Settings · Fleetwatch" };

export default async function BadgesSettingsPage() {
  const session = await adminApi();
  if (!session) return null;
  const [badges, h] = await Promise.all([session.trpc.admin.badges(), headers()]);
  return (
    <div className="stack">
      <BadgeForm siteUrl={siteUrl(h)} />
      <section aria-labelledby="badges-title">
        <h2 id="badges-title">Badges ({badges.length})</h2>
        <BadgesTable badges={badges} now={new Date()} />
      </section>
    </div>
  );
}
