/**
 * A signed-in user over plain HTTP: NextAuth's credentials sign-in (CSRF token, then the form), a
 * cookie jar, and tRPC's wire form (superjson's `{ json }`), as a script or curl would do it.
 */
export class HttpSession {
  private readonly cookies = new Map<string, string>();

  private constructor(private readonly url: string) {}

  static async signIn(url: string, email: string, password: string): Promise<HttpSession> {
    const session = new HttpSession(url);
    const { csrfToken } = (await (await session.fetch("/api/auth/csrf")).json()) as { csrfToken: string };
    const form = new URLSearchParams({ csrfToken, email, password, json: "true" });
    await session.fetch("/api/auth/callback/credentials", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: form.toString(),
    });
    if (![...session.cookies.keys()].some((k) => k.endsWith("next-auth.session-token"))) {
      throw new Error(`signing in as ${email} with the printed password gave no session`);
    }
    return session;
  }

  private async fetch(path: string, init: RequestInit = {}): Promise<Response> {
    const cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
    const request = () =>
      fetch(`${this.url}${path}`, {
        ...init,
        redirect: "manual",
        headers: { ...(init.headers as Record<string, string>), ...(cookie ? { cookie } : {}), origin: this.url },
      });
    // A kept-alive socket the server closed while idle fails the next request sent on it; a browser
    // sends a read again on a new socket, and so does this (a write is never sent twice).
    const res = await request().catch((error: unknown) => {
      if ((init.method ?? "GET") !== "GET") throw networkError(path, error);
      return request().catch((again: unknown) => {
        throw networkError(path, again);
      });
    });
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(";");
      const at = pair?.indexOf("=") ?? -1;
      if (pair && at > 0) this.cookies.set(pair.slice(0, at).trim(), pair.slice(at + 1).trim());
    }
    return res;
  }

  private async unwrap<T>(path: string, res: Response): Promise<T> {
    const body = (await res.json().catch(() => null)) as { result?: { data: { json: T } }; error?: { json: { message: string } } } | null;
    if (!body?.result) throw new Error(`${path}: HTTP ${res.status}: ${body?.error?.json.message ?? "no tRPC answer"}`);
    return body.result.data.json;
  }

  async query<T>(path: string, input?: unknown): Promise<T> {
    const q = input === undefined ? "" : `?input=${encodeURIComponent(JSON.stringify({ json: input }))}`;
    return this.unwrap<T>(path, await this.fetch(`/api/trpc/${path}${q}`));
  }

  async mutate<T>(path: string, input: unknown): Promise<T> {
    const res = await this.fetch(`/api/trpc/${path}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ json: input }),
    });
    return this.unwrap<T>(path, res);
  }
}

/** "fetch failed" says nothing: name the request and the socket's own error. */
function networkError(path: string, error: unknown): Error {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return new Error(`${path}: ${(error as Error).message}${cause ? ` (${cause.code ?? cause.message})` : ""}`);
}
