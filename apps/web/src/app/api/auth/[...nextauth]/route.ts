import { signInBackOff } from "@fleetwatch/api/server";
import NextAuth from "next-auth";
import { authOptions } from "~/server/auth";
import { clientAddress } from "~/server/client-address";

const handler = NextAuth(authOptions);

type Handler = (req: Request, ctx: { params: Promise<{ nextauth: string[] }> }) => Promise<Response>;

/**
 * A password sign-in for an account or from an address that is backed off is answered 429 with
 * Retry-After and one line, before next-auth (or bcrypt) sees it. The body carries `url` with the
 * line as its `error`, which is where next-auth's client `signIn()` reads an error from.
 */
async function post(req: Request, ctx: { params: Promise<{ nextauth: string[] }> }): Promise<Response> {
  if (new URL(req.url).pathname.endsWith("/callback/credentials")) {
    const form = await req
      .clone()
      .formData()
      .catch(() => null);
    const email = form?.get("email");
    if (typeof email === "string" && email) {
      const refusal = await signInBackOff(email, clientAddress(req.headers));
      if (refusal) {
        const url = new URL("/signin", req.url);
        url.searchParams.set("error", refusal.message);
        return Response.json(
          { error: refusal.message, url: url.toString() },
          { status: 429, headers: { "retry-after": String(refusal.retryAfterSeconds) } },
        );
      }
    }
  }
  return (handler as Handler)(req, ctx);
}

export { handler as GET, post as POST };
