import type { SessionUser } from "@fleetwatch/api";
import { verifyCredentials } from "@fleetwatch/api/server";
import type { NextAuthOptions } from "next-auth";
import { getServerSession } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";

const SESSION_HOURS = 8;

export const authOptions: NextAuthOptions = {
  secret: process.env.NEXTAUTH_SECRET,
  session: { strategy: "jwt", maxAge: SESSION_HOURS * 3600 },
  pages: { signIn: "/signin" },
  providers: [
    CredentialsProvider({
      name: "Email and password",
      credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
      async authorize(credentials) {
        if (!credentials?.email || !credentials.password) return null;
        const user = await verifyCredentials(credentials.email, credentials.password);
        return user ? { id: user.id, email: user.email, role: user.role } : null;
      },
    }),
  ],
  callbacks: {
    jwt({ token, user }) {
      if (user) {
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
