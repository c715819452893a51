import type { Metadata } from "next";
import Link from "next/link";
import { DataTable } from "~/components/data-table";
import { SendTest } from "~/components/report/send-test";
import { formatDateTime } from "~/lib/format";
import { can } from "~/lib/labels";
import { api } from "~/server/trpc";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Morning report · Fleetwatch" };

const OWNER_COLUMNS = ["To", "Nodes", "Bad nights", "Delivery"].map((label) => ({ label }));

type Report = Awaited<ReturnType<Awaited<ReturnType<typeof api>>["trpc"]["report"]["today"]>>;

function stateLine(r: Report, now: Date): string {
  const at = `${String(r.hour).padStart(2, "0")}:00 (${r.timeZone})`;
  switch (r.state) {
    case "sent":
      return `Sent ${r.sentAt ? formatDateTime(r.sentAt, now) : "today"}: below is what went out, and how each delivery went.`;
    case "due":
      return `Due now (${at}): the next delivery run, within a minute, sends what is below.`;
    case "waiting":
      return `Goes out today at ${at}. Below is what it would say now; it is written again at that hour.`;
    case "not-configured":
      return "Not sent: no mail server is configured (Settings > Alert channels > SMTP server). Below is what it would say.";
  }
}

function DeliveryStatus({ d }: { d: { status: string; lastError: string | null } | null }) {
  if (!d) return <span className="muted">not sent yet</span>;
  return (
    <span>
      {d.status}
      {d.lastError && <span className="muted"> · {d.lastError}</span>}
    </span>
  );
}

/** Today's morning mails exactly as the job renders them: the team's digest and each owner's report. */
export default async function ReportPage() {
  const { user, trpc } = await api();
  const r = await trpc.report.today();
  const now = new Date();
  return (
    <>
      <div className="page-head">
        <h1>Morning report</h1>
        <span className="sub">{r.date}</span>
      </div>
      <p className="notice" data-testid="report-state">
        {stateLine(r, now)}
      </p>
      {can(user.role, "operator") && <SendTest />}

      <section className="section" aria-labelledby="digest-title">
        <h2 id="digest-title">The backup team's digest</h2>
        <p style={{ overflowWrap: "anywhere" }}>
          To:{" "}
          {r.team.length > 0 ? (
            r.team.join(", ")
          ) : (
            <span className="muted">nobody yet: add the team's addresses in Settings &gt; Alert channels</span>
          )}
          <br />
          Subject: <strong data-testid="digest-subject">{r.digest.subject}</strong>
        </p>
        {r.deliveries.length > 0 && (
          <ul>
            {r.deliveries.map((d) => (
              <li key={d.target}>
                {d.target}: <DeliveryStatus d={d} />
              </li>
            ))}
          </ul>
        )}
        <pre className="panel" data-testid="digest-text" style={{ whiteSpace: "pre-wrap", overflowWrap: "anywhere" }}>
          {r.digest.text}
        </pre>
      </section>

      <section className="section" aria-labelledby="owners-title">
        <h2 id="owners-title">Owners' reports</h2>
        {!r.ownerReportsOn ? (
          <p className="empty">Turned off in Settings &gt; Alert channels: owners get no report.</p>
        ) : (
          <DataTable
            columns={OWNER_COLUMNS}
            rows={r.owners}
            empty="No owner gets a report today: no node with an owner's address had a MISSED, FAILED or SEVERED night."
            testId="owner-reports"
            row={(o) => (
              <tr key={o.address}>
                <td>
                  {o.name && o.name !== o.address ? `${o.name} ` : ""}
                  <span className="muted">{o.address}</span>
                  <details>
                    <summary>The report</summary>
                    <pre style={{ whiteSpace: "pre-wrap", overflowWrap: "anywhere" }}>{o.text}</pre>
                  </details>
                </td>
                <td>
                  {o.nodes.map((n, i) => (
                    <span key={n.name}>
                      {i > 0 && ", "}
                      {n.id ? <Link href={`/nodes/${n.id}`}>{n.name}</Link> : n.name}
                    </span>
                  ))}
                </td>
                <td>{o.nights}</td>
                <td>
                  <DeliveryStatus d={o.delivery} />
                </td>
              </tr>
            )}
          />
        )}
        {r.unaddressed.length > 0 && (
          <p data-testid="unaddressed">
            No owner's address, so only the backup team hears of:{" "}
            {r.unaddressed.map((u, i) => (
              <span key={`${u.server}/${u.name}`}>
                {i > 0 && ", "}
                {u.id ? <Link href={`/nodes/${u.id}`}>{u.name}</Link> : u.name}
              </span>
            ))}
            . Set an owner on the node's page.
          </p>
        )}
      </section>
    </>
  );
}
