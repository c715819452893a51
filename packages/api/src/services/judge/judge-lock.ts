import type { Prisma } from "@fleetwatch/db/client";

type Tx = Pick<Prisma.TransactionClient, "$queryRaw" | "$executeRaw">;

/** One advisory lock key for the judge across every replica (an arbitrary, fixed 64-bit number). */
export const JUDGE_LOCK = 4_718_236_001n;

/**
 * Whether this transaction leads the judge: the lock is held until it ends, and another replica's
 * try fails at once instead of queueing behind it.
 */
export async function leadJudge(tx: Tx): Promise<boolean> {
  const [row] = await tx.$queryRaw<{ locked: boolean }[]>`SELECT pg_try_advisory_xact_lock(${JUDGE_LOCK}) AS locked`;
  return row?.locked ?? false;
}

/**
 * The judge's statements are thousands of index probes that the planner prices high enough to
 * compile (JIT): the compiling costs more than it saves. For this transaction only.
 */
export async function withoutJit(tx: Tx): Promise<void> {
  await tx.$executeRaw`SET LOCAL jit = off`;
}
