import { OutcomeBadge } from "~/components/outcome-badge";
import { TopBar } from "~/components/top-bar";
import { api } from "~/server/trpc";

export const dynamic = "force-dynamic";

const order = ["completed", "failed", "missed", "severed", "aborted", "in-progress", "none"];

export default async function HomePage() {
  const { user, trpc } = await api();
  const [counts, recent] = await Promise.all([trpc.fleet.outcomeCounts(), trpc.fleet.recentWindows({ limit: 50 })]);
  return (
    <>
      <TopBar email={user.email} role={user.role} />
      <main>
        <h1>Fleet</h1>
        <section className="cards" aria-label="Nodes by last outcome">
          <div className="card">
            <div className="n" data-testid="count-total">
              {counts.total}
            </div>
            <div className="l">nodes watched</div>
          </div>
          {order
            .filter((o) => counts.byOutcome[o])
            .map((o) => (
              <div className="card" key={o}>
                <div className="n" data-testid={`count-${o}`}>
                  {counts.byOutcome[o]}
                </div>
                <div className="l">last {o === "none" ? "no report yet" : o}</div>
              </div>
            ))}
        </section>
        <h2>Latest scheduled runs</h2>
        {recent.length === 0 ? (
          <p className="empty">No scheduled runs reported yet. Enroll an agent on a client machine to see its backups here.</p>
        ) : (
          <table>
            <thead>
              <tr>
                <th>Node</th>
                <th>Schedule</th>
                <th>Scheduled start (local)</th>
                <th>Outcome</th>
                <th className="hide-sm">RC</th>
                <th className="hide-sm">Failed objects</th>
                <th>Cause</th>
              </tr>
            </thead>
            <tbody>
              {recent.map((w) => (
                <tr key={w.id} data-testid="window-row">
                  <td>{w.node.name}</td>
                  <td>{w.schedule}</td>
                  <td>{w.localStart.replace("T", " ")}</td>
                  <td>
                    <OutcomeBadge outcome={w.outcome} benign={w.benign} />
                  </td>
                  <td className="hide-sm">{w.returnCode ?? "–"}</td>
                  <td className="hide-sm">{w.objectsFailed ?? "–"}</td>
                  <td>{w.cause ?? "–"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </main>
    </>
  );
}
