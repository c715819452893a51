import { join } from "node:path";
import type { Fsys } from "../fsys";

/**
 * status.json, for `fleetwatch-agent status`: written when something in it changed, so an idle
 * agent writes nothing. Not a cursor: a plain write-and-rename (no fsync) is enough.
 */
export class StatusFile {
  private last = "";

  constructor(
    private readonly fs: Fsys,
    private readonly stateDir: string,
    private readonly now: () => Date,
  ) {}

  async write(status: Record<string, unknown>, force: boolean): Promise<void> {
    const text = JSON.stringify(status, null, 2);
    if (!force && text === this.last) return;
    this.last = text;
    const path = join(this.stateDir, "status.json");
    await this.fs
      .writeFile(`${path}.tmp`, `${JSON.stringify({ ...status, updatedAt: this.now().toISOString() }, null, 2)}\n`, { mode: 0o600 })
      .then(() => this.fs.rename(`${path}.tmp`, path))
      .catch(() => undefined);
  }
}
