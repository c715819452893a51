import type { SessionUser } from "@fleetwatch/api";
import { serverConfig } from "@fleetwatch/api/config";
import { signInWithSso, verifyCredentials } from "@fleetwatch/api/server";
import type { NextAuthOptions } from "next-auth";
import { getServerSession } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { clientAddress } from "./client-address";
import { ssoSettings } from "./oidc";

const SESSION_HOURS = 8;

/** The site's single sign-on (FLEETWATCH_OIDC_*), or null: from the settings read once, at start. */
export const sso = ssoSettings(serverConfig());

export const authOptions: NextAuthOptions = {
  secret: serverConfig().NEXTAUTH_SECRET ?? undefined,
  session: { strategy: "jwt", maxAge: SESSION_HOURS * 3600 },
  pages: { signIn: "/signin" },
  providers: [
    CredentialsProvider({
      name: "Email and password",
      credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
      async authorize(credentials, req) {
        if (!credentials?.email || !credentials.password) return null;
        // Throttled per account and per address; a back-off's refusal (thrown) reaches the form as
        // its one line. The route refuses most of those earlier with 429 (api/auth/[...nextauth]).
        const user = await verifyCredentials(credentials.email, credentials.password, clientAddress(req.headers ?? {}));
        return user ? { id: user.id, email: user.email, role: user.role } : null;
      },
    }),
    ...(sso ? [sso.provider] : []),
  ],
  callbacks: {
    async signIn({ user, account }) {
      if (account?.provider !== "oidc") return true;
      // Only people Fleetwatch knows (or a newcomer role the site chose), by a verified email.
      if (!user.email) return "/signin?error=NoEmail";
      return (await signInWithSso(user.email, sso?.newUserRole ?? null)) ? true : "/signin?error=AccessDenied";
    },
    async jwt({ token, user, account }) {
      if (user && account?.provider === "oidc") {
        const known = user.email ? await signInWithSso(user.email, sso?.newUserRole ?? null) : null;
        token.uid = known?.id;
        token.role = known?.role;
      } else if (user) {
        token.uid = user.id;
        token.role = (user as { role?: SessionUser["role"] }).role;
      }
      return token;
    },
    session({ session, token }) {
      return { ...session, uid: token.uid, role: token.role };
    },
  },
};

/** The signed-in user of this request, or null. */
export async function currentUser(): Promise<SessionUser | null> {
  const session = (await getServerSession(authOptions)) as {
    user?: { email?: string | null };
    uid?: string;
    role?: SessionUser["role"];
  } | null;
  if (!session?.uid || !session.role || !session.user?.email) return null;
  return { id: session.uid, email: session.user.email, role: session.role };
}
