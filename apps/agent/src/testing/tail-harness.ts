import { type Fsys, nodeFsys } from "../fsys";
import { type Anchors, type Harvest, NodeTail } from "../tail/node-tail";
import { ServerModel } from "./server-model";

/**
 * Drives a NodeTail the way the daemon does (step until caught up; store the anchors a harvest
 * brings once its items are "spooled") and keeps what a server would hold. `kill()` drops the tail
 * without a word and starts a new one from the last stored anchors, as a restart after SIGKILL.
 */
export class TailHarness {
  tail!: NodeTail;
  stored: Anchors = { sched: null, error: null };
  readonly server = new ServerModel();
  readonly restarts: string[] = [];
  /** How each boot found its place: anchor, relocated, sibling, start or missing. */
  readonly opened: string[] = [];
  harvests = 0;
  /** What the test did, for its failure message. */
  ops: string[] = [];

  constructor(
    readonly schedLog: string,
    readonly errorLog: string | null,
    private readonly fs: Fsys = nodeFsys,
    private readonly budget = 64 * 1024,
  ) {}

  async boot(): Promise<void> {
    this.tail = new NodeTail({ node: "TEST", schedLog: this.schedLog, errorLog: this.errorLog }, this.fs);
    const opened = await this.tail.start(this.stored);
    this.opened.push(opened.sched);
  }

  /** Steps until the tail has caught up; `crashBeforeStore` loses the last harvest's anchors. */
  async pump(opts: { crashBeforeStore?: boolean } = {}): Promise<Harvest[]> {
    const harvests: Harvest[] = [];
    for (let i = 0; i < 10_000; i++) {
      const h = await this.tail.step(this.budget);
      this.harvests++;
      harvests.push(h);
      this.server.addEvents([...h.events, ...h.running]);
      this.server.addProblems(h.problems);
      if (h.restarted) this.restarts.push(h.restarted);
      if (h.anchors && !opts.crashBeforeStore) this.stored = h.anchors;
      if (!h.more) break;
    }
    return harvests;
  }

  async kill(): Promise<void> {
    await this.tail.close();
    await this.boot();
  }

  async close(): Promise<void> {
    await this.tail.close();
  }
}
