import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { appRouter, createContext } from "@fleetwatch/api";
import type { Db } from "@fleetwatch/db";
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";

/** How the test server misbehaves: each is a way a real server or network fails an agent. */
export type Fault =
  | "none"
  | "hang" // accepts, reads the request, never answers
  | "500" // answers 500 without touching the database
  | "reset-mid-body" // commits, starts a 200 answer, cuts the connection half-way
  | "commit-then-die" // commits, then drops the connection without a word
  | "slow" // reads the request and writes the answer at 1 KB/s
  | "429"; // Too Many Requests, Retry-After: 1

export interface TestServer {
  url: string;
  port: number;
  fault: Fault;
  /** Requests seen, and how long each connection stayed open (ms): nothing may hang. */
  requests: number;
  longestMs: number;
  /** Stop listening (connections refused) / listen again on the same port. */
  down(): Promise<void>;
  up(): Promise<void>;
  close(): Promise<void>;
}

/** appRouter at /api/trpc over node:http, as the web app mounts it for agents, with faults on demand. */
export async function startTestServer(db: Db): Promise<TestServer> {
  const sockets = new Set<Socket>();
  const t: TestServer = {
    url: "",
    port: 0,
    fault: "none",
    requests: 0,
    longestMs: 0,
    down: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
    up: () => listen(t.port),
    close: () => t.down(),
  };
  let server: Server;
  const listen = async (port: number) => {
    server = createServer((req, res) => {
      t.requests++;
      handle(db, req, res, t.fault).catch(() => res.destroy());
    });
    server.keepAliveTimeout = 60_000;
    server.on("connection", (socket) => {
      const opened = Date.now();
      sockets.add(socket);
      socket.on("close", () => {
        sockets.delete(socket);
        t.longestMs = Math.max(t.longestMs, Date.now() - opened);
      });
    });
    await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
    t.port = (server.address() as AddressInfo).port;
    t.url = `http://127.0.0.1:${t.port}`;
  };
  await listen(0);
  return t;
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function handle(db: Db, req: IncomingMessage, res: ServerResponse, fault: Fault) {
  const chunks: Buffer[] = [];
  for await (const chunk of req) {
    chunks.push(chunk as Buffer);
    if (fault === "slow") await pause(((chunk as Buffer).length / 1024) * 1000);
  }
  if (fault === "hang") return; // the agent's deadline must end this
  if (fault === "500") {
    res.writeHead(500, { "content-type": "application/json" }).end('{"error":"boom"}');
    return;
  }
  if (fault === "429") {
    res.writeHead(429, { "retry-after": "1", "content-type": "application/json" }).end('{"error":{"json":{"message":"slow down"}}}');
    return;
  }
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) if (typeof value === "string") headers.set(name, value);
  const request = new Request(`http://localhost${req.url ?? "/"}`, {
    method: req.method,
    headers,
    body: req.method === "GET" ? undefined : Buffer.concat(chunks),
  });
  const response = await fetchRequestHandler({
    endpoint: "/api/trpc",
    req: request,
    router: appRouter,
    createContext: () => createContext({ db, authorization: request.headers.get("authorization"), user: null }),
  });
  const body = Buffer.from(await response.arrayBuffer()); // the transaction has committed by now
  if (fault === "commit-then-die") return void res.destroy();
  res.statusCode = response.status;
  response.headers.forEach((value, name) => {
    if (name !== "content-length") res.setHeader(name, value);
  });
  if (fault === "reset-mid-body") {
    res.write(body.subarray(0, Math.floor(body.length / 2)));
    await pause(20);
    return void res.destroy();
  }
  if (fault === "slow") {
    for (let i = 0; i < body.length; i += 64) {
      if (res.destroyed) return;
      res.write(body.subarray(i, i + 64));
      await pause(62);
    }
    return void res.end();
  }
  res.end(body);
}
