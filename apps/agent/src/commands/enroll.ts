import { hostname } from "node:os";
import { parseCommandArgs, UsageError } from "../args";
import { defaultStateDir, saveCredential } from "../credential";
import { createServerClient } from "../http";
import type { Command } from "../io";

const usage = "fleetwatch-agent enroll --server URL --token ENROLL_TOKEN [--name NAME] [--state-dir DIR]";

export const enrollCommand: Command = {
  name: "enroll",
  usage,
  async run(argv, io) {
    const { values } = parseCommandArgs(argv, {
      server: { type: "string" },
      token: { type: "string" },
      name: { type: "string" },
      "state-dir": { type: "string" },
      help: { type: "boolean" },
    });
    if (values.help) {
      io.stdout.write(`usage: ${usage}\n`);
      return 0;
    }
    if (!values.server || !values.token) throw new UsageError(`usage: ${usage}`);
    const client = createServerClient({ server: values.server, token: null, timeoutMs: 15_000 });
    try {
      const name = values.name ?? process.env.FLEETWATCH_HOSTNAME ?? hostname();
      const { agentId, token } = await client.mutation("ingest.enroll", {
        enrollmentToken: values.token,
        name,
      });
      const stateDir = values["state-dir"] ?? defaultStateDir();
      const path = await saveCredential(stateDir, { server: values.server, token, agentId });
      io.stdout.write(`enrolled as agent ${agentId}; credential saved to ${path}\n`);
      return 0;
    } finally {
      await client.close();
    }
  },
};
