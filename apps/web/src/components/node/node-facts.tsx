import { ownerSourceWords } from "@fleetwatch/core/report";
import type { ReactNode } from "react";
import type { FlagView } from "~/components/flag-badge";
import { When } from "~/components/when";
import { daysBetween, formatAgo, formatDate, formatDateTime, readableInstants } from "~/lib/format";
import { osLabel } from "~/lib/labels";
import styles from "./node-facts.module.css";
import { OwnerEditor } from "./owner-editor";
import type { NodeDetail } from "./types";

function Fact({ label, children, testId }: { label: string; children: ReactNode; testId?: string }) {
  return (
    <div className={styles.fact} data-testid={testId}>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

/** The questions the guide asks a person, answered: locked? password age? on the network? which machine? */
export function NodeFacts({
  node,
  flags,
  now,
  editOwner = false,
}: {
  node: NodeDetail;
  flags: FlagView[];
  now: Date;
  editOwner?: boolean;
}) {
  const flag = (kind: string) => flags.find((f) => f.kind === kind);
  const silent = flag("agent-silent");
  const expiring = flag("password-expiring");
  const expired = flag("password-expired");
  const m = node.machine;
  return (
    <div className={styles.grid}>
      <section className="panel" aria-labelledby="facts-backup">
        <h3 id="facts-backup">Backup</h3>
        <dl className={styles.list}>
          <Fact label="Locked" testId="fact-locked">
            {node.lockedNow ? (
              <strong className={styles.bad}>Yes: the scheduler cannot sign on</strong>
            ) : node.serverRecordAt ? (
              "No"
            ) : (
              <span className="muted">no sign of it (the TSM server's record is not collected)</span>
            )}
          </Fact>
          <Fact label="Password set">
            {node.passwordSetAt ? (
              <>
                {formatDate(node.passwordSetAt)} <span className="muted">({daysBetween(node.passwordSetAt, now)} days old)</span>
              </>
            ) : (
              <span className="muted">not reported by the server</span>
            )}
          </Fact>
          {node.passwordExpiresAt && (
            <Fact label="Password expires">
              {formatDate(node.passwordExpiresAt)}{" "}
              <span className="muted">
                ({node.passwordDaysLeft !== null && node.passwordDaysLeft >= 0 ? `${node.passwordDaysLeft} days left` : "past"}, PASSEXP{" "}
                {node.passwordExpiryDays} days)
              </span>
            </Fact>
          )}
          {(expired || expiring) && (
            <Fact label="Password">
              <strong className={expired ? styles.bad : styles.warn}>{expired ? "expired" : "expiring soon"}</strong>
              {(expired ?? expiring)?.detail && (
                <span className="muted"> · {readableInstants((expired ?? expiring)?.detail ?? "", now)}</span>
              )}
            </Fact>
          )}
          <Fact label="Last completed">
            {node.lastCompletedAt ? (
              <>
                <When at={node.lastCompletedAt} now={now} node={node} />{" "}
                <span className="muted">({formatAgo(node.lastCompletedAt, now)})</span>
              </>
            ) : (
              "never"
            )}
          </Fact>
          <Fact label="In a row">
            {node.missedStreak} missed · {node.failedStreak} failed
          </Fact>
          <Fact label="TSM server">{node.server || <span className="muted">default</span>}</Fact>
          <Fact label="Registered">{formatDate(node.registeredAt)}</Fact>
          {node.serverRecordAt && (
            <>
              <Fact label="Server record">
                {[node.policyDomain && `domain ${node.policyDomain}`, node.platform, node.clientVersion && `client ${node.clientVersion}`]
                  .filter(Boolean)
                  .join(" · ") || "–"}{" "}
                <span className="muted">(changed {formatAgo(node.serverRecordAt, now)})</span>
              </Fact>
              <Fact label="Last server access">
                {node.lastAccessAt ? `${formatDateTime(node.lastAccessAt, now)} (${formatAgo(node.lastAccessAt, now)})` : "never"}
              </Fact>
              {(node.tcpName || node.tcpAddress) && (
                <Fact label="Last address">{[node.tcpName, node.tcpAddress].filter(Boolean).join(" · ")}</Fact>
              )}
            </>
          )}
          <Fact label="Owner" testId="fact-owner">
            {node.owner.name ?? <span className="muted">–</span>}
            {node.owner.address && (
              <>
                {" "}
                <a href={`mailto:${node.owner.address}`}>{node.owner.address}</a>
              </>
            )}{" "}
            <span className="muted">
              {node.owner.addressSource
                ? `(${ownerSourceWords[node.owner.addressSource]}${node.owner.addressSource === "staff" && node.ownerSetBy ? `: ${node.ownerSetBy}, ${formatDate(node.ownerSetAt)}` : ""})`
                : node.owner.name
                  ? "(no e-mail address: gets no morning report)"
                  : "(not known: gets no morning report)"}
            </span>
            {(node.staffContact || node.staffEmail) && (node.contact || node.email) && (
              <span className="muted"> · the TSM server says {[node.contact, node.email].filter(Boolean).join(", ")}</span>
            )}
            {editOwner && (
              <>
                {" "}
                <OwnerEditor nodeId={node.id} name={node.name} contact={node.staffContact} email={node.staffEmail} />
              </>
            )}
          </Fact>
        </dl>
      </section>
      <section className="panel" aria-labelledby="facts-machine">
        <h3 id="facts-machine">Machine and agent</h3>
        <dl className={styles.list}>
          <Fact label="Last contact">
            <When at={node.lastContactAt} now={now} node={node} /> <span className="muted">({formatAgo(node.lastContactAt, now)})</span>
          </Fact>
          <Fact label="Agent" testId="fact-agent">
            {silent ? (
              <strong className={styles.warn}>silent since {formatDateTime(silent.raisedAt, now)}</strong>
            ) : node.lastHeartbeatAt ? (
              <>
                reporting <span className="muted">(heartbeat {formatAgo(node.lastHeartbeatAt, now)})</span>
              </>
            ) : (
              <span className="muted">no heartbeat yet</span>
            )}
          </Fact>
          <Fact label="Clock" testId="fact-clock">
            {node.clockSkewWords ? (
              <>
                <strong className={styles.warn}>{node.clockSkewWords}</strong>{" "}
                <span className="muted">against the server's (backups judged with it in mind)</span>
              </>
            ) : node.clockSkewSeconds !== null ? (
              "right (within 3 minutes of the server's)"
            ) : (
              <span className="muted">not measured yet</span>
            )}
            {node.timeZone && <span className="muted"> · {node.timeZone}</span>}
          </Fact>
          <Fact label="Hostname">{m?.hostname ?? <span className="muted">no agent on this node's machine</span>}</Fact>
          <Fact label="OS">{(node.os ?? m?.os) ? [osLabel(node.os ?? m?.os), m?.osVersion].filter(Boolean).join(" ") : "–"}</Fact>
          {m && (
            <>
              <Fact label="Machine ID">
                <code>{m.machineId}</code>
              </Fact>
              <Fact label="MAC">{m.macAddresses.length ? <code>{m.macAddresses.join(", ")}</code> : "–"}</Fact>
              <Fact label="TSM client">{m.clientVersion ?? "–"}</Fact>
              <Fact label="Booted">{m.bootedAt ? formatDateTime(m.bootedAt, now) : "–"}</Fact>
            </>
          )}
        </dl>
      </section>
    </div>
  );
}
