// A minimal Prisma generator: `prisma generate` hands every generator the DMMF (Prisma's parsed
// view of schema.prisma); this one writes it to <output>/dmmf.json. It speaks the generator
// protocol directly (JSON-RPC requests on stdin, answers on stderr), so it needs no
// @prisma/generator-helper.
const fs = require("node:fs");
const path = require("node:path");
const readline = require("node:readline");

const answer = (id, result) => process.stderr.write(`${JSON.stringify({ jsonrpc: "2.0", id, result })}\n`);

readline.createInterface({ input: process.stdin }).on("line", (line) => {
  const request = JSON.parse(line);
  if (request.method === "getManifest") {
    answer(request.id, { manifest: { prettyName: "DMMF dump", requiresEngines: [] } });
  } else if (request.method === "generate") {
    const out = request.params.generator.output.value;
    fs.mkdirSync(out, { recursive: true });
    fs.writeFileSync(path.join(out, "dmmf.json"), JSON.stringify(request.params.dmmf.datamodel));
    answer(request.id, null);
  }
});
