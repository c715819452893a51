import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { hostname, networkInterfaces, platform, release } from "node:os";
import type { MachineIdentity } from "@fleetwatch/core/schemas";

/** The machine's identity: the evidence the server uses to tell twins from duplicates. */
export function readMachineIdentity(clientVersion: string | null = null, env: NodeJS.ProcessEnv = process.env): MachineIdentity {
  const macs = [
    ...new Set(
      Object.values(networkInterfaces())
        .flat()
        .filter((i) => i && !i.internal && i.mac !== "00:00:00:00:00:00")
        .map((i) => (i as { mac: string }).mac),
    ),
  ].sort();
  // Overrides for cloned VMs and containers, which share /etc/machine-id with their siblings; the OS
  // ones for a simulated machine (the demo fleet's Windows and Mac nodes, shipped from one Linux host).
  return {
    machineId: env.FLEETWATCH_MACHINE_ID || machineId(macs),
    hostname: env.FLEETWATCH_HOSTNAME || hostname(),
    os: env.FLEETWATCH_OS || platform(),
    osVersion: env.FLEETWATCH_OS_VERSION || release(),
    macAddresses: macs.slice(0, 64),
    clientVersion,
  };
}

function machineId(macs: string[]): string {
  for (const path of ["/etc/machine-id", "/var/lib/dbus/machine-id"]) {
    try {
      const id = readFileSync(path, "utf8").trim();
      if (id) return id;
    } catch {
      // Not on this OS; fall through to the next source.
    }
  }
  // No stable OS id (macOS, Windows without registry access): derive one from name + MACs.
  return createHash("sha256")
    .update(`${hostname()}|${macs.join(",")}`)
    .digest("hex")
    .slice(0, 32);
}
