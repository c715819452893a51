import type { Metadata } from "next";
import { headers } from "next/headers";
import { ApiKeyForm } from "~/components/settings/api-key-form";
import { ApiKeysTable } from "~/components/settings/api-keys-table";
import { siteUrl } from "~/server/site-url";
import { adminApi } from "~/server/trpc";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "API keys · Settings · Fleetwatch" };

export default async function ApiKeysSettingsPage() {
  const session = await adminApi();
  if (!session) return null;
  const [keys, h] = await Promise.all([session.trpc.admin.apiKeys(), headers()]);
  return (
    <div className="stack">
      <ApiKeyForm siteUrl={siteUrl(h)} />
      <section aria-labelledby="keys-title">
        <h2 id="keys-title">API keys</h2>
        <ApiKeysTable keys={keys} now={new Date()} />
      </section>
    </div>
  );
}
