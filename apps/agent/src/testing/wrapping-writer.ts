import { open, writeFile } from "node:fs/promises";

export interface WrapShape {
  /**
   * A first line the client rewrites in place at every write (where it writes next, its maximum):
   * the wrapping log's header. Its exact text is not in IBM's manuals; this is its assumed shape.
   */
  header?: boolean;
  /** `END OF DATA` after the newest line from the first write (true), or only once it wrapped. */
  markBeforeWrap?: boolean;
  /** `Continued at beginning of file` before going back to the top (IBM's manual), or nothing. */
  continued?: boolean;
}

/**
 * Writes a log as TSM does with SCHEDLOGMAX: in place, up to `max` bytes. After each batch an
 * `END OF DATA` line follows the newest line; when the next line would not fit, a `Continued at
 * beginning of file` line is written and the writer goes on at the top, over the oldest lines.
 * `shape` varies what the client writes around that (a header line, the markers), so the reader
 * is tested on every shape it may meet.
 */
export class WrappingWriter {
  private buf: Buffer;
  private w: number;
  private size: number;
  private wrapped = false;
  private readonly top: number;

  constructor(
    readonly path: string,
    readonly max: number,
    private readonly stamp = "2024-03-20 10:00:00",
    private readonly shape: WrapShape = {},
  ) {
    this.buf = Buffer.alloc(max);
    this.top = shape.header ? this.headerLine().length : 0;
    this.w = this.top;
    this.size = this.top;
  }

  async create(): Promise<void> {
    await writeFile(this.path, "");
  }

  async write(lines: string[]): Promise<void> {
    const eod = Buffer.from(`${this.stamp} ---------- END OF DATA ----------\n`);
    const cont = Buffer.from(`${this.stamp} Continued at beginning of file\n`);
    const continued = this.shape.continued ?? true;
    for (const line of lines) {
      const bytes = Buffer.from(`${line}\n`, "latin1");
      if (this.w + bytes.length + eod.length + cont.length > this.max) {
        if (continued) this.put(cont);
        this.w = this.top;
        this.wrapped = true;
      }
      this.put(bytes);
    }
    if (this.wrapped || (this.shape.markBeforeWrap ?? true)) {
      const at = this.w;
      this.put(eod);
      this.w = at;
    }
    if (this.shape.header) this.headerLine().copy(this.buf, 0);
    const handle = await open(this.path, "r+");
    try {
      await handle.write(this.buf, 0, this.size, 0);
    } finally {
      await handle.close();
    }
  }

  /** Fixed width, as a record rewritten in place must be. */
  private headerLine(): Buffer {
    const n = (v: number) => String(v).padStart(10, "0");
    return Buffer.from(`LOGHEADERREC ${n(this.w ?? 0)} ${n(this.max)} IBM Storage Protect 8.1.23.0 SCHEDLOGMAX\n`);
  }

  private put(bytes: Buffer): void {
    bytes.copy(this.buf, this.w);
    this.w += bytes.length;
    this.size = Math.max(this.size, this.w);
  }
}
