import { posix, win32 } from "node:path";

/**
 * What `fleetwatch-agent service install|uninstall|status` does on each OS, as data: the files it
 * writes or removes and the commands it runs, in order. Planning is pure, so the command lines of
 * an OS that cannot run here (Windows' sc.exe, macOS' launchctl) are checked by tests all the same.
 */

export type ServicePlatform = "linux" | "win32" | "darwin";
export type ServiceAction = "install" | "uninstall" | "status";

export interface ServiceSpec {
  platform: ServicePlatform;
  /** How to start the agent: the executable, or node and the .mjs bundle. */
  program: string[];
  /** Passed to `run` when given; otherwise the service uses the OS's usual state folder. */
  stateDir?: string;
  config?: string;
  /** Where the OS's folders are: "/" on the real system, a throwaway folder in tests. */
  root: string;
}

export type Step =
  | { kind: "write"; path: string; content: string; mode: number }
  | { kind: "remove"; path: string }
  /** `mayFail`: stopping a service that is not running is not a failure of uninstall. */
  | { kind: "run"; argv: string[]; mayFail?: boolean };

export interface ServicePlan {
  /** The unit or plist file, where the OS keeps one (none on Windows: the SCM's registry holds it). */
  file: string | null;
  steps: Step[];
}

export const SERVICE = {
  systemdUnit: "fleetwatch-agent.service",
  windowsName: "FleetwatchAgent",
  launchdLabel: "org.fleetwatch.agent",
} as const;

const description = "Fleetwatch agent (IBM Storage Protect scheduler logs)";

/** `run` and its options, as the service starts it. */
function runArgs(spec: ServiceSpec): string[] {
  return [
    ...spec.program,
    "run",
    ...(spec.config ? ["--config", spec.config] : []),
    ...(spec.stateDir ? ["--state-dir", spec.stateDir] : []),
  ];
}

export function planService(action: ServiceAction, spec: ServiceSpec): ServicePlan {
  if (spec.platform === "linux") return systemd(action, spec);
  if (spec.platform === "darwin") return launchd(action, spec);
  return windows(action, spec);
}

function systemd(action: ServiceAction, spec: ServiceSpec): ServicePlan {
  const file = posix.join(spec.root, "etc/systemd/system", SERVICE.systemdUnit);
  const ctl = (...args: string[]) => ["systemctl", ...args];
  if (action === "status") return { file, steps: [{ kind: "run", argv: ctl("status", "--no-pager", SERVICE.systemdUnit), mayFail: true }] };
  if (action === "uninstall")
    return {
      file,
      steps: [
        { kind: "run", argv: ctl("disable", "--now", SERVICE.systemdUnit), mayFail: true },
        { kind: "remove", path: file },
        { kind: "run", argv: ctl("daemon-reload") },
      ],
    };
  return {
    file,
    steps: [
      { kind: "write", path: file, content: systemdUnit(spec), mode: 0o644 },
      { kind: "run", argv: ctl("daemon-reload") },
      { kind: "run", argv: ctl("enable", "--now", SERVICE.systemdUnit) },
    ],
  };
}

/** An ExecStart word: systemd splits on spaces, reads `\` and `"` inside quotes, and expands `%` and `$`. */
export function systemdWord(arg: string): string {
  const escaped = arg.replaceAll("%", "%%").replaceAll("$", "$$$$");
  return /^[\w@%+=:,./-]+$/.test(escaped) ? escaped : `"${escaped.replaceAll("\\", "\\\\").replaceAll('"', '\\"')}"`;
}

export function systemdUnit(spec: ServiceSpec): string {
  return `[Unit]
Description=${description}
After=network-online.target
Wants=network-online.target

[Service]
Type=simple
ExecStart=${runArgs(spec).map(systemdWord).join(" ")}
ExecReload=/bin/kill -HUP $MAINPID
Restart=always
RestartSec=10
KillSignal=SIGTERM
TimeoutStopSec=30
Nice=10
IOSchedulingClass=idle
MemoryMax=256M

[Install]
WantedBy=multi-user.target
`;
}

const xml = (s: string) => s.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;").replaceAll('"', "&quot;");

function launchd(action: ServiceAction, spec: ServiceSpec): ServicePlan {
  const file = posix.join(spec.root, "Library/LaunchDaemons", `${SERVICE.launchdLabel}.plist`);
  const target = `system/${SERVICE.launchdLabel}`;
  if (action === "status") return { file, steps: [{ kind: "run", argv: ["launchctl", "print", target], mayFail: true }] };
  if (action === "uninstall")
    return {
      file,
      steps: [
        { kind: "run", argv: ["launchctl", "bootout", target], mayFail: true },
        { kind: "remove", path: file },
      ],
    };
  return {
    file,
    steps: [
      { kind: "write", path: file, content: launchdPlist(spec), mode: 0o644 },
      { kind: "run", argv: ["launchctl", "bootstrap", "system", file] },
    ],
  };
}

export function launchdPlist(spec: ServiceSpec): string {
  const args = runArgs(spec)
    .map((a) => `    <string>${xml(a)}</string>`)
    .join("\n");
  return `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0">
<dict>
  <key>Label</key><string>${SERVICE.launchdLabel}</string>
  <key>ProgramArguments</key>
  <array>
${args}
  </array>
  <key>RunAtLoad</key><true/>
  <key>KeepAlive</key><true/>
  <key>ExitTimeOut</key><integer>30</integer>
  <key>ProcessType</key><string>Background</string>
  <key>StandardErrorPath</key><string>/Library/Logs/fleetwatch-agent.log</string>
</dict>
</plist>
`;
}

/**
 * A Windows command-line word (the rules CommandLineToArgvW and the C runtime read back): quoted
 * when it has a space or a quote; backslashes double only before a quote.
 */
export function windowsWord(arg: string): string {
  if (arg && !/[\s"]/.test(arg)) return arg;
  return `"${arg.replace(/(\\*)"/g, '$1$1\\"').replace(/(\\+)$/, "$1$1")}"`;
}

function windows(action: ServiceAction, spec: ServiceSpec): ServicePlan {
  const name = SERVICE.windowsName;
  const sc = (...args: string[]) => ["sc.exe", ...args];
  if (action === "status") return { file: null, steps: [{ kind: "run", argv: sc("query", name), mayFail: true }] };
  if (action === "uninstall")
    return {
      file: null,
      steps: [
        { kind: "run", argv: sc("stop", name), mayFail: true },
        { kind: "run", argv: sc("delete", name) },
      ],
    };
  // sc.exe wants `key=` and its value as two words; binPath= is the whole command line the SCM starts.
  const binPath = runArgs({ ...spec, program: spec.program.map((p) => win32.normalize(p)) })
    .map(windowsWord)
    .join(" ");
  return {
    file: null,
    steps: [
      { kind: "run", argv: sc("create", name, "binPath=", binPath, "start=", "delayed-auto", "DisplayName=", "Fleetwatch agent") },
      { kind: "run", argv: sc("description", name, description) },
      // Restart after 10 s, twice, then after a minute; a day without failure resets the count.
      { kind: "run", argv: sc("failure", name, "reset=", "86400", "actions=", "restart/10000/restart/10000/restart/60000") },
      { kind: "run", argv: sc("start", name) },
    ],
  };
}
