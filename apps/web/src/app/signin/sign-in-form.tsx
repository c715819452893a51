"use client";

import { useRouter, useSearchParams } from "next/navigation";
import { signIn } from "next-auth/react";
import { type FormEvent, useState } from "react";
import { useHydrated } from "~/lib/use-hydrated";

/** next-auth's `?error=` after a refused single sign-on, in plain words. */
const SSO_ERRORS: Record<string, string> = {
  AccessDenied: "Single sign-on worked, but no Fleetwatch user has that email. Ask an admin to add you.",
  NoEmail: "Your single sign-on gave no verified email address, so Fleetwatch cannot tell who you are.",
};

export function SignInForm({ sso }: { sso: { id: string; label: string } | null }) {
  const router = useRouter();
  const params = useSearchParams();
  const refused = params.get("error");
  const [error, setError] = useState<string | null>(
    refused ? (SSO_ERRORS[refused] ?? "Single sign-on failed. Try again, or sign in with your password.") : null,
  );
  const [busy, setBusy] = useState(false);
  // Before hydration a submit would be a native GET, with the password in the URL.
  const hydrated = useHydrated();

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setBusy(true);
    const form = new FormData(event.currentTarget);
    const result = await signIn("credentials", { email: form.get("email"), password: form.get("password"), redirect: false });
    setBusy(false);
    if (result?.ok) router.replace(sameSitePath(params.get("callbackUrl")));
    // A back-off (429, or refused at the password check) says so and for how long, in one line.
    else setError(result?.error?.startsWith("Too many failed sign-ins") ? result.error : "Wrong email or password.");
  }

  return (
    <form className="signin" onSubmit={submit}>
      <h1>Sign in to Fleetwatch</h1>
      <p className="muted">Backup health of your IBM Storage Protect clients.</p>
      <label className="field">
        Email
        <input name="email" type="email" autoComplete="username" required />
      </label>
      <label className="field">
        Password
        <input name="password" type="password" autoComplete="current-password" required />
      </label>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <button type="submit" disabled={busy || !hydrated}>
        {busy ? "Signing in…" : "Sign in"}
      </button>
      {sso && (
        <button
          type="button"
          className="secondary"
          disabled={!hydrated}
          onClick={() => signIn(sso.id, { callbackUrl: sameSitePath(params.get("callbackUrl")) })}
        >
          Sign in with {sso.label}
        </button>
      )}
    </form>
  );
}

/** Only a path on this site: a callbackUrl pointing elsewhere must not turn sign-in into a redirector. */
function sameSitePath(callbackUrl: string | null): string {
  if (!callbackUrl) return "/";
  try {
    const url = new URL(callbackUrl, window.location.origin);
    return url.origin === window.location.origin ? `${url.pathname}${url.search}${url.hash}` : "/";
  } catch {
    return "/";
  }
}
