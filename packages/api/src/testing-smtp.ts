import type { AddressInfo } from "node:net";
import { createServer, type Socket } from "node:net";

/**
 * A real SMTP receiver for tests (integration and e2e): nodemailer talks to it over TCP exactly
 * as it talks to a mail server, and the test reads what arrived.
 */

export interface Mail {
  from: string;
  to: string[];
  data: string;
}

/**
 * Just enough of an SMTP server (RFC 5321) to receive what nodemailer sends: greeting, EHLO/HELO,
 * MAIL FROM, RCPT TO, DATA up to the lone dot, RSET, QUIT. `refuse` answers RCPT for an address.
 */
export async function smtpSink(refuse: (address: string) => string | null = () => null) {
  const mails: Mail[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    let buffer = "";
    let inData = false;
    let mail: Mail = { from: "", to: [], data: "" };
    const reply = (line: string) => socket.write(`${line}\r\n`);
    reply("220 sink.test ESMTP");
    socket.on("data", (chunk: Buffer) => {
      buffer += chunk.toString("utf8");
      for (;;) {
        if (inData) {
          const end = buffer.indexOf("\r\n.\r\n");
          if (end < 0) return;
          mail.data = buffer.slice(0, end).replace(/\r\n\.\./g, "\r\n.");
          buffer = buffer.slice(end + 5);
          inData = false;
          mails.push(mail);
          mail = { from: "", to: [], data: "" };
          reply("250 2.0.0 queued");
          continue;
        }
        const eol = buffer.indexOf("\r\n");
        if (eol < 0) return;
        const line = buffer.slice(0, eol);
        buffer = buffer.slice(eol + 2);
        const verb = line.slice(0, 4).toUpperCase();
        const address = line.match(/<([^>]*)>/)?.[1] ?? "";
        if (verb === "EHLO" || verb === "HELO") reply("250 sink.test");
        else if (verb === "MAIL") {
          mail.from = address;
          reply("250 2.1.0 OK");
        } else if (verb === "RCPT") {
          const refusal = refuse(address);
          if (!refusal) mail.to.push(address);
          reply(refusal ?? "250 2.1.5 OK");
        } else if (verb === "DATA") {
          inData = true;
          reply("354 end with <CRLF>.<CRLF>");
        } else if (verb === "RSET") {
          mail = { from: "", to: [], data: "" };
          reply("250 2.0.0 OK");
        } else if (verb === "QUIT") {
          reply("221 2.0.0 bye");
          socket.end();
        } else reply("502 5.5.2 not implemented");
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const close = async () => {
    for (const s of sockets) s.destroy();
    await new Promise((resolve) => server.close(resolve));
  };
  return { url: `smtp://127.0.0.1:${(server.address() as AddressInfo).port}`, mails, close };
}

/** nodemailer writes long text lines quoted-printable: undo it to read the mail as a person would. */
export const readable = (data: string) =>
  data.replace(/=\r\n/g, "").replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
