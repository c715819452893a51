import { parseNodeFilters } from "~/lib/node-filters";
import { api } from "~/server/trpc";

/** The node list with the page's filters, every page, as a spreadsheet file. */
export async function GET(request: Request) {
  const { trpc } = await api();
  const filters = parseNodeFilters(Object.fromEntries(new URL(request.url).searchParams));
  const csv = await trpc.nodes.exportCsv({ ...filters, page: 1 });
  const day = new Date().toISOString().slice(0, 10);
  return new Response(csv, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="fleetwatch-nodes-${day}.csv"`,
      "Cache-Control": "no-store",
    },
  });
}
