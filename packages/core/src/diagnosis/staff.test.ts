import { describe, expect, it } from "vitest";
import { failureCause } from "../schemas/event";
import { staffRemedyFor } from "./staff";
import { type DiagnosisCause, missedCause } from "./types";
import { causeWords } from "./words";

const allCauses: DiagnosisCause[] = [...missedCause.options, ...failureCause.options, "machine-died"];
const ctx = { node: "CHEM-PC025", night: "2026-11-30", os: "WinNT" };
const commands = (cause: DiagnosisCause) => staffRemedyFor(cause, ctx).commands.map((c) => c.command);

describe("staffRemedyFor", () => {
  it("unlocks a locked node by name and tells the user it was done", () => {
    const r = staffRemedyFor("node-locked", ctx);
    expect(commands("node-locked")).toContain("UNLOCK NODE CHEM-PC025");
    expect(r.userMessage).toMatch(/We have unlocked the node/);
    expect(r.userMessage).not.toMatch(/ask the backup team/i);
  });

  it("resets an expired password without forcing another reset, and sends the user the scheduler's steps", () => {
    expect(commands("password-expired")).toContain("UPDATE NODE CHEM-PC025 <new password> FORCEPWRESET=NO");
    const message = staffRemedyFor("password-expired", ctx).userMessage ?? "";
    expect(message).toMatch(/dsmcutil updatepw/);
    expect(message).not.toMatch(/TSM home page/);
  });

  it("queries the night's event on the server's default date format, the next day as its end", () => {
    expect(commands("machine-off")).toContain("QUERY EVENT * * BEGINDATE=11/30/2026 ENDDATE=12/01/2026 NODES=CHEM-PC025 FORMAT=DETAILED");
    expect(staffRemedyFor("machine-off", { ...ctx, night: "2026-12-31" }).commands[0]?.command).toMatch(
      /BEGINDATE=12\/31\/2026 ENDDATE=01\/01\/2027/,
    );
  });

  it("checks the storage pools, database and log for out-of-space, and asks nothing of the user", () => {
    const c = commands("server-out-of-space");
    expect(c).toContain("QUERY STGPOOL FORMAT=DETAILED");
    expect(c).toContain("QUERY DBSPACE");
    expect(c).toContain("QUERY LOG FORMAT=DETAILED");
    expect(staffRemedyFor("server-out-of-space", ctx).userMessage).toMatch(/nothing you need to do/);
  });

  it.each(allCauses)("gives %s commands, steps and (unless benign) a message naming the node and the cause", (cause) => {
    const r = staffRemedyFor(cause, ctx);
    expect(r.commands.length).toBeGreaterThan(0);
    expect(r.steps.length).toBeGreaterThan(0);
    for (const c of r.commands) expect(c.command).toMatch(/^[A-Z]+ [A-Z*]/);
    if (cause === "sign-off-only") expect(r.userMessage).toBeNull();
    else {
      expect(r.userMessage).toContain("CHEM-PC025");
      if (cause !== "node-retired") expect(r.userMessage).toContain(causeWords[cause].toLowerCase());
    }
  });

  it("carries the user's own steps for a cause on the machine", () => {
    expect(staffRemedyFor("machine-asleep", ctx).userMessage).toMatch(/1\. The machine was asleep[\s\S]*Run a manual backup now/);
  });
});
