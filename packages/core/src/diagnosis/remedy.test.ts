import { describe, expect, it } from "vitest";
import { failureCause } from "../schemas/event";
import { osFamily } from "./os";
import { remedyFor } from "./remedy";
import { type DiagnosisCause, missedCause } from "./types";

const allCauses: DiagnosisCause[] = [...missedCause.options, ...failureCause.options, "machine-died"];
const text = (cause: DiagnosisCause, os: string | null) => remedyFor(cause, os).join("\n");

describe("remedyFor", () => {
  it.each(allCauses.filter((c) => c !== "node-retired" && c !== "sign-off-only"))("ends %s with running a manual backup now", (cause) => {
    for (const os of ["win32", "darwin", "linux", null]) {
      const steps = remedyFor(cause, os);
      expect(steps.length).toBeGreaterThan(1);
      expect(steps.at(-1)).toMatch(/^Run a manual backup now/);
      expect(steps.slice(0, -1).join("\n")).not.toMatch(/^Run a manual backup now/m);
    }
  });

  it("ends a retired node's remedy with deregistering it, not a backup", () => {
    const steps = remedyFor("node-retired", "win32");
    expect(steps.at(-1)).toMatch(/deregister the node/i);
    expect(steps.join("\n")).toMatch(/similarly-named/);
  });

  it("asks nothing of a benign sign-off-only failure", () => {
    const steps = remedyFor("sign-off-only", "linux");
    expect(steps.join("\n")).toMatch(/can be ignored/);
    expect(steps.join("\n")).not.toMatch(/manual backup/);
  });

  it("gives the power settings of the machine's Windows version", () => {
    expect(text("machine-asleep", "WIN:Windows XP")).toMatch(/System standby to Never/);
    expect(text("machine-asleep", "WIN:Windows XP")).not.toMatch(/Put the computer to sleep/);
    const seven = text("machine-asleep", "WIN:Windows 7");
    expect(seven).toMatch(/Put the computer to sleep to Never/);
    expect(seven).toMatch(/When I close the lid to Do nothing/);
    expect(seven).toMatch(/back to sleep two minutes later/);
    expect(seven).not.toMatch(/Energy Saver/);
  });

  it("gives a Mac its Energy Saver step and no Windows steps", () => {
    const mac = text("machine-asleep", "darwin");
    expect(mac).toMatch(/Energy Saver/);
    expect(mac).not.toMatch(/Control Panel|two minutes later/);
  });

  it("gives every OS's steps, each named, when the OS is unknown", () => {
    const any = text("machine-asleep", null);
    expect(any).toMatch(/On Windows XP\/2003/);
    expect(any).toMatch(/On Windows Vista\/7/);
    expect(any).toMatch(/On a Mac/);
    expect(any).toMatch(/On Linux/);
  });

  it("fixes DOMAIN with quotes around a name with spaces, then restarts the scheduler", () => {
    const steps = text("invalid-domain", "linux");
    expect(steps).toContain('DOMAIN "/data/fred backup"');
    expect(steps).toMatch(/restart the scheduler/i);
    expect(steps).toMatch(/systemctl restart dsmcad/);
    expect(text("invalid-domain", "Macintosh")).toMatch(/6\.1\.3/);
  });

  it("restarts the scheduler after ANS1030E, the way the OS does it", () => {
    expect(text("out-of-memory", "WinNT")).toMatch(/services\.msc.*restart/);
    expect(text("out-of-memory", "Macintosh")).toMatch(/TSM Tools for Administrators/);
    expect(text("out-of-memory", "Linux x86-64")).toMatch(/dsmcad restart|restart dsmcad/);
  });

  it("checks the disk with the OS's own tool for corrupt files", () => {
    expect(text("corrupt-files", "win32")).toMatch(/Check Now.*chkdsk/s);
    expect(text("corrupt-files", "darwin")).toMatch(/Disk Utility.*First Aid/);
    expect(text("corrupt-files", "linux")).toMatch(/fsck/);
  });

  it("excludes files that are always open", () => {
    expect(text("files-changed", "win32")).toMatch(/Close all files and programs/);
    expect(text("files-changed", "win32")).toMatch(/exclude them from backup/);
  });

  it("has Windows users update the scheduler after a password change; others store it by hand", () => {
    expect(text("password-expired", "win32")).toMatch(/Change Client Password/);
    expect(text("password-expired", "win32")).toMatch(/update the TSM scheduler service/);
    expect(text("password-expired", "linux")).toMatch(/dsmc query session/);
    expect(text("password-expired", "linux")).not.toMatch(/dsmcutil/);
  });

  it("asks for an unlock for a locked node", () => {
    expect(text("node-locked", "win32")).toMatch(/Request unlock/);
  });

  it("falls back to the guide's section 4 for an unknown cause", () => {
    const steps = text("unknown", "linux");
    expect(steps).toMatch(/dsmsched\.log, dsmerror\.log, dsm\.opt and dsm\.sys/);
    expect(steps).toMatch(/backup team/);
    expect(text("unknown", "win32")).toMatch(/dsmsched\.log, dsmerror\.log and dsm\.opt/);
  });
});

describe("osFamily", () => {
  it.each([
    ["win32", "windows"],
    ["WinNT", "windows"],
    ["WIN:Windows XP", "windows-xp"],
    ["Windows Server 2003", "windows-xp"],
    ["darwin", "mac"],
    ["Macintosh", "mac"],
    ["MAC:Mac OS X", "mac"],
    ["linux", "linux"],
    ["Linux x86-64", "linux"],
    ["AIX", "unix"],
    ["SunOS", "unix"],
    [null, "unknown"],
    ["OS/2", "unknown"],
  ])("reads %s as %s", (os, family) => {
    expect(osFamily(os)).toBe(family);
  });
});
