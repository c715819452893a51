import type { Metadata } from "next";
import { headers } from "next/headers";
import { AgentsTable } from "~/components/settings/agents-table";
import { TokenForm } from "~/components/settings/token-form";
import { TokensTable } from "~/components/settings/tokens-table";
import { siteUrl } from "~/server/site-url";
import { adminApi } from "~/server/trpc";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Agents · Settings · Fleetwatch" };

export default async function AgentsSettingsPage() {
  const session = await adminApi();
  if (!session) return null;
  const [tokens, agents, h] = await Promise.all([session.trpc.admin.enrollmentTokens(), session.trpc.admin.agents(), headers()]);
  const now = new Date();
  return (
    <div className="stack">
      <TokenForm serverUrl={siteUrl(h)} />
      <section aria-labelledby="agents-title">
        <h2 id="agents-title">Agents ({agents.length})</h2>
        <AgentsTable agents={agents} now={now} />
      </section>
      <section aria-labelledby="tokens-title">
        <h2 id="tokens-title">Enrollment tokens</h2>
        <TokensTable tokens={tokens} now={now} />
      </section>
    </div>
  );
}
