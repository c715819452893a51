"use client";

import { useRouter, useSearchParams } from "next/navigation";
import { signIn } from "next-auth/react";
import { type FormEvent, useState } from "react";

export function SignInForm() {
  const router = useRouter();
  const params = useSearchParams();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setBusy(true);
    const form = new FormData(event.currentTarget);
    const result = await signIn("credentials", { email: form.get("email"), password: form.get("password"), redirect: false });
    setBusy(false);
    if (result?.ok) router.replace(params.get("callbackUrl") ?? "/");
    else setError("Wrong email or password.");
  }

  return (
    <form className="signin" onSubmit={submit}>
      <h1>Sign in to Fleetwatch</h1>
      <label>
        Email
        <br />
        <input name="email" type="email" autoComplete="username" required style={{ width: "100%" }} />
      </label>
      <label>
        Password
        <br />
        <input name="password" type="password" autoComplete="current-password" required style={{ width: "100%" }} />
      </label>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <button type="submit" disabled={busy}>
        {busy ? "Signing in…" : "Sign in"}
      </button>
    </form>
  );
}
