import { describe, expect, it } from "vitest";
import { resolveSettings } from "./agent-config";
import { type DiscoverHost, discoverNodes } from "./discover";
import { optionName, parseOptionsFile } from "./options-file";

const DSM_SYS = `
* The university's two TSM servers
DEFAULTServer   TSM1
SErvername  TSM1
   COMMMethod         TCPip
   TCPPort            1500
   TCPServeraddress   tsm1.example.ac.uk
   NODename           CHEM-SRV001
   PASSWORDAccess     generate
   SCHEDLOGName       /var/log/tsm/dsmsched.log
   ERRORLOGName       /var/log/tsm/dsmerror.log
   SCHEDLOGRetention  14 D
   DOMain             / /home "/srv/my data"
   MANAGEDServices    schedule

SErvername  TSM2
   TCPS    tsm2.example.ac.uk
   TCPP    1600
   NOD     CHEM-ARCHIVE
   SCHEDLOGN  archive-sched.log
`;

const host = (files: Record<string, string>, platform: NodeJS.Platform = "linux", env: NodeJS.ProcessEnv = {}): DiscoverHost => ({
  platform,
  env,
  hostname: "chem-box",
  read: async (f) => files[f] ?? null,
  list: async (d) =>
    Object.keys(files)
      .filter((f) => f.startsWith(`${d}\\`) || f.startsWith(`${d}/`))
      .map((f) => f.slice(d.length + 1)),
});

describe("options files", () => {
  it("reads option names however abbreviated, down to IBM's minimum", () => {
    expect(optionName("NODename")).toBe("NODENAME");
    expect(optionName("nod")).toBe("NODENAME");
    expect(optionName("NO")).toBeNull();
    expect(optionName("TCPServeraddress")).toBe("TCPSERVERADDRESS");
    expect(optionName("tcps")).toBe("TCPSERVERADDRESS");
    expect(optionName("SCHEDLOGNAME")).toBe("SCHEDLOGNAME");
    expect(optionName("SCHEDLOGR")).toBe("SCHEDLOGRETENTION");
    expect(optionName("NODENAMEX")).toBeNull();
  });

  it("splits dsm.sys into stanzas", () => {
    const [global, tsm1, tsm2] = parseOptionsFile(DSM_SYS, "sys");
    expect(global!.options.DEFAULTSERVER).toEqual(["TSM1"]);
    expect(tsm1!.server).toBe("TSM1");
    expect(tsm2!.options.NODENAME).toEqual(["CHEM-ARCHIVE"]);
  });
});

describe("discoverNodes", () => {
  it("Unix: one node per dsm.sys stanza, logs resolved, dsm.opt's client options applied", async () => {
    const dir = "/opt/tivoli/tsm/client/ba/bin";
    const { nodes } = await discoverNodes(
      host({ [`${dir}/dsm.sys`]: DSM_SYS, [`${dir}/dsm.opt`]: "SErvername TSM1\nDATEformat 3\nNUMberformat 5\n" }),
    );
    expect(nodes).toEqual([
      expect.objectContaining({
        node: "CHEM-SRV001",
        schedLog: "/var/log/tsm/dsmsched.log",
        errorLog: "/var/log/tsm/dsmerror.log",
        serverAddress: "tsm1.example.ac.uk",
        serverPort: 1500,
        dateFormat: "YYYY-MM-DD",
        numberFormat: 5,
        passwordAccess: "generate",
        domains: ["/", "/home", "/srv/my data"],
        stanza: "TSM1",
      }),
      expect.objectContaining({
        node: "CHEM-ARCHIVE",
        schedLog: `${dir}/archive-sched.log`,
        errorLog: `${dir}/dsmerror.log`,
        serverPort: 1600,
        stanza: "TSM2",
      }),
    ]);
  });

  it("macOS: default log folder; no NODENAME means the host name", async () => {
    const dir = "/Library/Application Support/tivoli/tsm/client/ba/bin";
    const { nodes } = await discoverNodes(host({ [`${dir}/dsm.sys`]: "SErvername TSM\n TCPS tsm.example\n" }, "darwin"));
    expect(nodes[0]).toMatchObject({ node: "CHEM-BOX", schedLog: "/Library/Logs/tivoli/tsm/dsmsched.log" });
  });

  it("Windows: every .opt file in the client folder is a node", async () => {
    const dir = "C:\\Program Files\\Tivoli\\TSM\\baclient";
    const { nodes } = await discoverNodes(
      host(
        {
          [`${dir}\\dsm.opt`]: 'NODENAME LAW-PC004\r\nTCPSERVERADDRESS tsm.example\r\nDOMAIN C: "D:"\r\n',
          [`${dir}\\dsm_lab.opt`]: 'NODENAME LAW-LAB\r\nSCHEDLOGNAME "C:\\TSM logs\\lab.log"\r\n',
        },
        "win32",
      ),
    );
    expect(nodes.map((n) => [n.node, n.schedLog])).toEqual([
      ["LAW-PC004", `${dir}\\dsmsched.log`],
      ["LAW-LAB", "C:\\TSM logs\\lab.log"],
    ]);
    expect(nodes[0]!.domains).toEqual(["C:", "D:"]);
  });
});

describe("resolveSettings", () => {
  it("lists every problem at once and gives no settings", () => {
    const { settings, problems } = resolveSettings(
      { heartbeatCron: "every five minutes", pollSecnds: 2, nodes: [{ node: "A", schedLog: "relative.log" }, { node: "a" }] },
      { FLEETWATCH_SPOOL_MAX_BYTES: "12" },
    );
    expect(settings).toBeNull();
    expect(problems).toEqual([
      'unknown key "pollSecnds" (a typo?)',
      expect.stringMatching(/^heartbeatCron: must be a cron expression/),
      expect.stringMatching(/^spoolMaxBytes: must be whole bytes/),
      "nodes[0].schedLog: must be an absolute path",
      "nodes[1].node: a is listed twice",
    ]);
  });

  it("environment variables override the file", () => {
    const { settings } = resolveSettings(
      { pollSeconds: 5, logLevel: "debug" },
      { FLEETWATCH_POLL_SECONDS: "1", FLEETWATCH_DISCOVER: "off" },
    );
    expect(settings).toMatchObject({ pollSeconds: 1, logLevel: "debug", discover: false, heartbeatCron: "*/5 * * * *" });
  });
});
