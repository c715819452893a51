import type { Metadata } from "next";
import { Suspense } from "react";
import { sso } from "~/server/auth";
import { SignInForm } from "./sign-in-form";

export const metadata: Metadata = { title: "Sign in · Fleetwatch" };

export default function SignInPage() {
  return (
    <Suspense>
      <SignInForm sso={sso?.button ?? null} />
    </Suspense>
  );
}
