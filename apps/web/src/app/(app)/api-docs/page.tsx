import { openApiDocument } from "@fleetwatch/api/http";
import type { Metadata } from "next";
import Link from "next/link";
import { ApiReference, type OpenApiDocument, Prose } from "~/components/api-docs/api-reference";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "HTTP API · Fleetwatch" };

/** The HTTP API's reference, rendered from the same OpenAPI document /api/v1/openapi.json serves. */
export default function ApiDocsPage() {
  const doc = openApiDocument() as unknown as OpenApiDocument;
  return (
    <>
      <div className="page-head">
        <h1>
          {doc.info.title} <span className="muted">v{doc.info.version}</span>
        </h1>
      </div>
      <p>
        <Prose text={doc.info.description} /> The machine-readable document is at <a href="/api/v1/openapi.json">/api/v1/openapi.json</a>,
        and an administrator makes keys in <Link href="/settings/api-keys">Settings → API keys</Link>.
      </p>
      <ApiReference doc={doc} />
    </>
  );
}
