import { nightExcerpt } from "@fleetwatch/core/parse";
import { suspiciousReasonWords } from "@fleetwatch/core/words";
import { OutcomeBadge } from "~/components/outcome-badge";
import { type NodeClock, When } from "~/components/when";
import { formatBytes, formatCount, formatDuration, formatLocalStart, readableInstants } from "~/lib/format";
import { causeLabel } from "~/lib/labels";
import { StaffRemedy } from "./staff-remedy";
import styles from "./timeline.module.css";
import { diagnosisOf, type NodeWindow } from "./types";

const evidenceKinds: Record<string, string> = {
  flag: "flag",
  message: "log",
  heartbeat: "agent",
  "clock-jump": "sleep",
  boot: "boot",
  node: "server",
  "status-block": "status",
  agent: "agent",
};

/**
 * One non-completed window, or a completed run the judge found suspicious: what happened, why, the
 * evidence, what to do, and the ANS messages.
 */
export function TimelineEntry({ window: w, open, now, node }: { window: NodeWindow; open: boolean; now: Date; node: NodeClock }) {
  const diagnosis = diagnosisOf(w);
  const cause = diagnosis?.cause ?? w.cause;
  return (
    <li id={`w-${w.id}`} className={styles.entry} data-outcome={w.outcome} data-testid="timeline-entry">
      <details open={open}>
        <summary className={styles.summary}>
          <span className={styles.when}>{formatLocalStart(w.localStart)}</span>
          <OutcomeBadge outcome={w.outcome} benign={w.benign} />
          {w.suspicion ? (
            <span className={styles.cause} data-testid="timeline-suspicion">
              Suspicious run: {w.suspicion.reasons.map((r) => suspiciousReasonWords[r]).join(", ")}
            </span>
          ) : (
            <span className={styles.cause} data-testid="timeline-cause">
              {causeLabel(cause)}
            </span>
          )}
          <span className={`${styles.meta} muted`}>
            {w.schedule}
            {w.returnCode !== null && ` · RC ${w.returnCode}`}
          </span>
        </summary>
        <div className={styles.body}>
          {w.startedAt !== null && (
            <dl className={styles.figures}>
              <div>
                <dt>Started</dt>
                <dd>{w.startedAt ? <When at={w.startedAt} now={now} node={node} timeOnly /> : "never"}</dd>
              </div>
              <div>
                <dt>Ended</dt>
                <dd>{w.endedAt ? <When at={w.endedAt} now={now} node={node} timeOnly /> : "–"}</dd>
              </div>
              <div>
                <dt>Inspected</dt>
                <dd>{formatCount(w.objectsInspected)}</dd>
              </div>
              <div>
                <dt>Backed up</dt>
                <dd>{formatCount(w.objectsBackedUp)}</dd>
              </div>
              <div>
                <dt>Failed objects</dt>
                <dd>{formatCount(w.objectsFailed)}</dd>
              </div>
              <div>
                <dt>Sent</dt>
                <dd>{formatBytes(w.bytesTransferred)}</dd>
              </div>
              <div>
                <dt>Elapsed</dt>
                <dd>{formatDuration(w.elapsedSeconds)}</dd>
              </div>
            </dl>
          )}
          {w.suspicion && (
            <section aria-label="Why suspicious">
              <h4>Why this run is suspicious</h4>
              <ul className={styles.evidence} data-testid="suspicion-text">
                {w.suspicion.text.map((line) => (
                  <li key={line}>{line}</li>
                ))}
              </ul>
            </section>
          )}
          {diagnosis ? (
            <div className={styles.columns}>
              <section aria-label="Evidence">
                <h4>Evidence</h4>
                {diagnosis.evidence.length === 0 ? (
                  <p className="muted">No evidence recorded.</p>
                ) : (
                  <ul className={styles.evidence}>
                    {diagnosis.evidence.map((e, i) => (
                      <li key={i}>
                        <span className={styles.kind}>{evidenceKinds[e.kind] ?? e.kind}</span>
                        <span>
                          {readableInstants(e.text, now)}
                          {e.at && (
                            <span className="muted">
                              {" "}
                              · <When at={e.at} now={now} node={node} />
                            </span>
                          )}
                        </span>
                      </li>
                    ))}
                  </ul>
                )}
              </section>
              <section aria-label="What to do">
                <h4>{diagnosis.benign ? "Nothing to do" : "What to do"}</h4>
                <ol className={styles.remedy} data-testid="remedy">
                  {diagnosis.remedy.map((step) => (
                    <li key={step}>{step}</li>
                  ))}
                </ol>
              </section>
            </div>
          ) : w.outcome === "completed" ? null : (
            <p className="muted">Not diagnosed yet: the server judges a window once it has closed.</p>
          )}
          {w.staff && <StaffRemedy remedy={w.staff} />}
          {w.messages.length > 0 && (
            <details className={styles.messages}>
              <summary>ANS messages ({w.messages.length})</summary>
              <div className="table-wrap">
                <table>
                  <tbody>
                    {w.messages.map((m, i) => (
                      <tr key={i}>
                        <td className="nowrap mono">{m.at ? <When at={m.at} now={now} node={node} timeOnly /> : ""}</td>
                        <td className="nowrap mono">
                          <span className={styles[`sev${m.severity}`]}>{m.code}</span>
                        </td>
                        <td className="mono">{m.text}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
              <NightExcerpt messages={w.messages} />
            </details>
          )}
        </div>
      </details>
    </li>
  );
}

/** The night's raw log as one excerpt: each line once, every message's own line marked. */
function NightExcerpt({ messages }: { messages: NodeWindow["messages"] }) {
  const lines = nightExcerpt(messages);
  if (lines.length === 0) return null;
  return (
    <div className={styles.excerpts}>
      <h4>In the log</h4>
      <pre className={styles.excerpt} data-testid="night-excerpt">
        {lines.map((l, i) =>
          l.kind === "gap" ? (
            <span key={i} className={styles.gap}>
              {"⋯\n"}
            </span>
          ) : l.codes.length > 0 ? (
            <mark key={i} data-codes={l.codes.join(" ")}>{`${l.text}\n`}</mark>
          ) : (
            <span key={i} className={styles.around}>
              {`${l.text}\n`}
            </span>
          ),
        )}
      </pre>
    </div>
  );
}
