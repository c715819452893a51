import type { Metadata } from "next";
import { DuplicatePair } from "~/components/review/duplicate-pair";
import styles from "~/components/review/review.module.css";
import { StaleTable } from "~/components/review/stale-table";
import { UndoDeregister } from "~/components/review/undo-deregister";
import { can } from "~/lib/labels";
import { api } from "~/server/trpc";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Duplicates and stale nodes · Fleetwatch" };

const UUID = /^[0-9a-f-]{36}$/i;

export default async function ReviewPage({ searchParams }: { searchParams: Promise<{ undo?: string }> }) {
  const { undo } = await searchParams;
  const { user, trpc } = await api();
  const [duplicates, stale, undone] = await Promise.all([
    trpc.fleet.duplicates({ nights: 30 }),
    trpc.fleet.stale(),
    undo && UUID.test(undo) ? trpc.nodes.byId({ nodeId: undo, nights: 1 }).catch(() => null) : null,
  ]);
  const canAct = can(user.role, "operator");
  const now = new Date();
  return (
    <>
      <div className="page-head">
        <h1>Duplicates and stale nodes</h1>
        <span className="sub">
          {duplicates.pairs.length} suspected {duplicates.pairs.length === 1 ? "pair" : "pairs"} · {stale.rows.length} stale
        </span>
      </div>
      {undone?.deregisteredAt && canAct && <UndoDeregister nodeId={undone.id} name={undone.name} />}
      <section className="section" aria-labelledby="dup-title">
        <h2 id="dup-title">Suspected duplicates</h2>
        <p className="muted">
          One machine registered under two node names: one twin is backed up every night, the other does not exist any more and is reported
          as missed. Deregister the dead one.
        </p>
        {duplicates.pairs.length === 0 ? (
          <p className="empty">No suspected duplicates.</p>
        ) : (
          <div className={styles.pairs}>
            {duplicates.pairs.map((p) => (
              <DuplicatePair key={`${p.a.id}:${p.b.id}`} pair={p} canAct={canAct} now={now} />
            ))}
          </div>
        )}
      </section>
      <section className="section" aria-labelledby="stale-title">
        <h2 id="stale-title">Stale nodes</h2>
        <p className="muted">No contact of any kind (agent, TSM server, backup) for the stale period set in Settings.</p>
        {stale.rows.length === 0 ? (
          <p className="empty">No stale nodes: every node has been heard from recently.</p>
        ) : (
          <StaleTable rows={stale.rows} canAct={canAct} now={now} />
        )}
      </section>
    </>
  );
}
