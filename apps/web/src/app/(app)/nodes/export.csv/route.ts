import { TRPCError } from "@trpc/server";
import { getHTTPStatusCodeFromError } from "@trpc/server/http";
import { parseNodeFilters } from "~/lib/node-filters";
import { api } from "~/server/trpc";

/** The node list with the page's filters, every page, as a spreadsheet file. */
export async function GET(request: Request) {
  const { trpc, zone } = await api();
  const filters = parseNodeFilters(Object.fromEntries(new URL(request.url).searchParams));
  let csv: string;
  try {
    csv = await trpc.nodes.exportCsv({ ...filters, page: 1, timeZone: zone.zone });
  } catch (error) {
    // A filter the API refuses (a control character in a search) is the person's mistake: one line, not a 500.
    if (!(error instanceof TRPCError) || error.code === "INTERNAL_SERVER_ERROR") throw error;
    return new Response(`${error.message}\n`, {
      status: getHTTPStatusCodeFromError(error),
      headers: { "Content-Type": "text/plain; charset=utf-8" },
    });
  }
  const day = new Date().toISOString().slice(0, 10);
  return new Response(csv, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="fleetwatch-nodes-${day}.csv"`,
      "Cache-Control": "no-store",
    },
  });
}
