import { open, writeFile } from "node:fs/promises";

/**
 * Writes a log as TSM does with SCHEDLOGMAX: in place, up to `max` bytes. After each batch an
 * `END OF DATA` line follows the newest line; when the next line would not fit, a `Continued at
 * beginning of file` line is written and the writer goes on at offset 0, over the oldest lines.
 */
export class WrappingWriter {
  private buf: Buffer;
  private w = 0;
  private size = 0;

  constructor(
    readonly path: string,
    readonly max: number,
    private readonly stamp = "2024-03-20 10:00:00",
  ) {
    this.buf = Buffer.alloc(max);
  }

  async create(): Promise<void> {
    await writeFile(this.path, "");
  }

  async write(lines: string[]): Promise<void> {
    const eod = Buffer.from(`${this.stamp} ---------- END OF DATA ----------\n`);
    const cont = Buffer.from(`${this.stamp} Continued at beginning of file\n`);
    for (const line of lines) {
      const bytes = Buffer.from(`${line}\n`, "latin1");
      if (this.w + bytes.length + eod.length + cont.length > this.max) {
        this.put(cont);
        this.w = 0;
      }
      this.put(bytes);
    }
    const at = this.w;
    this.put(eod);
    this.w = at;
    const handle = await open(this.path, "r+");
    try {
      await handle.write(this.buf, 0, this.size, 0);
    } finally {
      await handle.close();
    }
  }

  private put(bytes: Buffer): void {
    bytes.copy(this.buf, this.w);
    this.w += bytes.length;
    this.size = Math.max(this.size, this.w);
  }
}
