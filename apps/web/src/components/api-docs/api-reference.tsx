import { type JsonSchema, refName, schemaLimits, schemaWords } from "~/lib/schema-words";
import styles from "./api-docs.module.css";

interface Parameter {
  name: string;
  in: string;
  required?: boolean;
  description?: string;
  schema?: JsonSchema;
}
interface Operation {
  operationId?: string;
  summary?: string;
  description?: string;
  parameters?: Parameter[];
  requestBody?: { content?: Record<string, { schema?: JsonSchema }> };
  responses?: Record<string, { description?: string; content?: Record<string, { schema?: JsonSchema }> }>;
}
export interface OpenApiDocument {
  info: { title: string; version: string; description?: string };
  paths?: Record<string, Record<string, Operation>>;
  webhooks?: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, JsonSchema> };
}

const jsonOf = (o: { content?: Record<string, { schema?: JsonSchema }> } | undefined) => o?.content?.["application/json"]?.schema;

/** The document's descriptions mark code with backticks, as Markdown does. */
export function Prose({ text }: { text: string | undefined }) {
  if (!text) return null;
  return (
    <>
      {text.split(/`([^`]+)`/).map((part, i) =>
        // Odd parts were between backticks; the parts' order never changes, so the index is a stable key.
        i % 2 ? <code key={i}>{part}</code> : part,
      )}
    </>
  );
}

/** A schema's words, a reference linked to its entry under Schemas. */
function SchemaType({ schema }: { schema: JsonSchema | undefined }) {
  if (schema?.$ref) return <a href={`#schema-${refName(schema.$ref)}`}>{refName(schema.$ref)}</a>;
  if (schema?.type === "array" && schema.items?.$ref) {
    return (
      <>
        array of <SchemaType schema={schema.items} />
      </>
    );
  }
  return <>{schemaWords(schema)}</>;
}

function Fields({ schema }: { schema: JsonSchema }) {
  const required = new Set(schema.required ?? []);
  return (
    <table className={styles.fields}>
      <tbody>
        {Object.entries(schema.properties ?? {}).map(([name, field]) => (
          <tr key={name}>
            <td>
              <code>{name}</code>
              {required.has(name) ? "" : <span className="muted"> (optional)</span>}
            </td>
            <td>
              <SchemaType schema={field} />
            </td>
            <td className="muted">
              <Prose text={[field.description, schemaLimits(field)].filter(Boolean).join(" ")} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function OperationEntry({ method, path, op }: { method: string; path: string; op: Operation }) {
  const body = jsonOf(op.requestBody);
  const ok = jsonOf(op.responses?.["200"]);
  const errors = Object.entries(op.responses ?? {}).filter(([status]) => status !== "200");
  return (
    <section className={`panel ${styles.operation}`} id={op.operationId} aria-label={`${method.toUpperCase()} ${path}`}>
      <h3>
        <span className={styles.method}>{method.toUpperCase()}</span> <code>{path}</code>
      </h3>
      <p>
        <strong>{op.summary}</strong> <Prose text={op.description} />
      </p>
      {op.parameters?.length ? (
        <table className={styles.fields}>
          <caption>Parameters</caption>
          <tbody>
            {op.parameters.map((p) => (
              <tr key={`${p.in}-${p.name}`}>
                <td>
                  <code>{p.name}</code>{" "}
                  <span className="muted">
                    ({p.in}
                    {p.required ? "" : ", optional"})
                  </span>
                </td>
                <td>
                  <SchemaType schema={p.schema} />
                </td>
                <td className="muted">
                  <Prose text={[p.schema?.description ?? p.description, schemaLimits(p.schema)].filter(Boolean).join(" ")} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {body && (
        <>
          <h4>Body (JSON)</h4>
          {body.properties ? <Fields schema={body} /> : <SchemaType schema={body} />}
        </>
      )}
      {ok && (
        <p>
          <strong>200:</strong> <SchemaType schema={ok} />
        </p>
      )}
      {errors.length > 0 && <p className="muted">{errors.map(([status, r]) => `${status}: ${r.description ?? ""}`).join(" · ")}</p>}
    </section>
  );
}

/** The OpenAPI document, readable: every operation, the webhook, every schema; no script, no CDN. */
export function ApiReference({ doc }: { doc: OpenApiDocument }) {
  const operations = Object.entries(doc.paths ?? {}).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => ({ path, method, op })),
  );
  const webhooks = Object.entries(doc.webhooks ?? {}).flatMap(([name, methods]) =>
    Object.entries(methods).map(([method, op]) => ({ path: name, method, op })),
  );
  return (
    <div className="stack">
      <nav aria-label="Operations" className="panel">
        <ul className={styles.toc}>
          {operations.map(({ path, method, op }) => (
            <li key={`${method} ${path}`}>
              <a href={`#${op.operationId}`}>
                <span className={styles.method}>{method.toUpperCase()}</span> {path}
              </a>{" "}
              <span className="muted">{op.summary}</span>
            </li>
          ))}
        </ul>
      </nav>
      <section aria-labelledby="operations-title" className="stack">
        <h2 id="operations-title">Operations</h2>
        {operations.map(({ path, method, op }) => (
          <OperationEntry key={`${method} ${path}`} method={method} path={path} op={op} />
        ))}
      </section>
      <section aria-labelledby="webhooks-title" className="stack">
        <h2 id="webhooks-title">Webhooks</h2>
        {webhooks.map(({ path, method, op }) => (
          <OperationEntry key={`${method} ${path}`} method={method} path={`(your URL) — ${path}`} op={op} />
        ))}
      </section>
      <section aria-labelledby="schemas-title" className="stack">
        <h2 id="schemas-title">Schemas</h2>
        {Object.entries(doc.components?.schemas ?? {}).map(([name, schema]) => (
          <section key={name} id={`schema-${name}`} className={`panel ${styles.operation}`} aria-label={name}>
            <h3>{name}</h3>
            {schema.description && (
              <p>
                <Prose text={schema.description} />
              </p>
            )}
            {schema.properties ? <Fields schema={schema} /> : <SchemaType schema={schema} />}
          </section>
        ))}
      </section>
    </div>
  );
}
