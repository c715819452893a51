import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { createCaller, createContextInner, createEnrollmentToken } from "@fleetwatch/api";
import {
  demoNightOf as coreDemoNightOf,
  lastClosedNight as coreLastClosedNight,
  type DemoNode,
  generateDemoFleet,
  renderDemoLogs,
} from "@fleetwatch/core/demo";
import type { createDb } from "@fleetwatch/db/client";
import { repoRoot } from "./launcher";

const execFileAsync = promisify(execFile);

/** The agent as a person would run it; a failure says which node and what the agent said. */
async function run(file: string, args: string[], opts: { env: NodeJS.ProcessEnv }, node: string) {
  try {
    return await execFileAsync(file, args, opts);
  } catch (error) {
    const said =
      String((error as { stderr?: string }).stderr ?? "")
        .trim()
        .split("\n")
        .at(-1) || (error as Error).message.split("\n")[0];
    throw new Error(`the demo fleet could not be loaded: the agent's ${args[1]} for ${node} failed: ${said}`);
  }
}

/** The demo fleet `pnpm start` loads: the smoke and browser tests load the same one. */
export const DEMO_FLEET = { nodes: 36, nights: 30 } as const;

/** What each demo OS reports as its version (Node's os.release() on such a machine). */
const demoOsVersion: Record<DemoNode["os"], string> = { win32: "10.0.19045", darwin: "23.6.0", linux: "6.1.0-28-amd64" };

/** A demo node's newest night now: see core's demoNightOf. */
export const demoNightOf = (node: DemoNode, now = Date.now()) => coreDemoNightOf(node, now);
export const lastClosedNight = (hour: number, now = Date.now()) => coreLastClosedNight(hour, now);

/**
 * Load the demo fleet the way real data arrives: each demo machine gets its own enrollment token,
 * the built agent enrolls and ships its generated dsmsched.log over HTTP. No rows are written
 * directly.
 */
export async function loadDemoFleet(opts: {
  db: ReturnType<typeof createDb>;
  url: string;
  stateDir: string;
  nodes: number;
  nights: number;
  /** Stops taking the next node (Ctrl-C); the nodes already shipped stay shipped. */
  signal?: AbortSignal;
}) {
  const fleet = generateDemoFleet({ nodes: opts.nodes, nights: opts.nights, lastNight: lastClosedNight(0) });
  const agentBin = join(repoRoot, "apps/agent/dist/fleetwatch-agent.mjs");
  const root = join(opts.stateDir, "demo");
  let events = 0;
  const one = async (node: DemoNode) => {
    const dir = join(root, node.name);
    await mkdir(dir, { recursive: true });
    // Each node's history runs up to its own latest closed window: nothing is missing "tonight".
    const logs = renderDemoLogs(node, demoNightOf(node));
    await writeFile(join(dir, "dsmsched.log"), logs.sched);
    await writeFile(join(dir, "dsmerror.log"), logs.error);
    // The demo machine's own OS, not the host's: a Windows node (its domain \\law-pc005\c$) reads as
    // Windows, a Mac as a Mac.
    const env = {
      ...process.env,
      FLEETWATCH_MACHINE_ID: node.machineId,
      FLEETWATCH_HOSTNAME: node.hostname,
      FLEETWATCH_OS: node.os,
      FLEETWATCH_OS_VERSION: demoOsVersion[node.os],
      FLEETWATCH_STATE_DIR: dir,
    };
    // A load cut short and finished by a later start: the machine's agent is enrolled already, and a
    // second agent for the same machine would be refused (a machine has one agent).
    if (!existsSync(join(dir, "credential.json"))) {
      const { token } = await createEnrollmentToken(opts.db, {
        createdBy: "demo",
        note: `demo ${node.name}`,
        ttlHours: 1,
        now: new Date(),
      });
      await run(process.execPath, [agentBin, "enroll", "--server", opts.url, "--token", token], { env }, node.name);
    }
    const { stdout } = await run(
      process.execPath,
      [
        agentBin,
        "ship",
        "--node",
        node.name,
        "--utc-offset",
        String(node.utcOffsetMinutes),
        "--error-log",
        join(dir, "dsmerror.log"),
        join(dir, "dsmsched.log"),
      ],
      { env },
      node.name,
    );
    events += Number(/shipped (\d+) events/.exec(stdout)?.[1] ?? 0);
  };
  // A few agents at a time, like a fleet finishing its backups around the same hour.
  const queue = [...fleet];
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      for (let node = queue.shift(); node && !opts.signal?.aborted; node = queue.shift()) await one(node);
    }),
  );
  opts.signal?.throwIfAborted();
  return { nodes: fleet.length, events };
}

/**
 * What staff would have set up by now, so a newcomer sees it: a maintenance window that excused a
 * node's nights last week, and a lab machine reimaged every week, bypassed (watched, never
 * alerted). Made through the API as the first admin, so the audit log says who and when.
 */
export async function stageDemoExceptions(db: ReturnType<typeof createDb>, adminEmail: string, lastNight: string) {
  const admin = await db.user.findUnique({ where: { email: adminEmail }, select: { id: true, email: true } });
  if (!admin) return;
  const staff = createCaller(createContextInner({ db, caller: { kind: "user", userId: admin.id, email: admin.email, role: "admin" } }));
  const day = (daysBefore: number, hour: number) =>
    new Date(Date.parse(`${lastNight}T00:00:00Z`) - daysBefore * 86_400_000 + hour * 3_600_000);
  const sleepy = await db.node.findFirst({ where: { name: "HIST-PC003" }, select: { id: true } });
  // A load finished by a later start stages them once.
  const staged = await db.maintenanceWindow.count({ where: { name: "HIST building power work" } });
  if (sleepy && !staged)
    await staff.maintenance.create({
      name: "HIST building power work",
      scope: "node",
      target: sleepy.id,
      startsAt: day(8, 12),
      endsAt: day(5, 12),
    });
  const lab = await db.node.findFirst({ where: { name: "MATHS-PC028" }, select: { id: true } });
  if (lab) await staff.profiles.setNodeOverride({ nodeId: lab.id, override: { bypass: true } });
}
