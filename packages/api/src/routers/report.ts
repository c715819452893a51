import { serverConfig } from "../config/server-config";
import * as report from "../services/alerts/report";
import { operatorProcedure, router, viewerProcedure } from "../trpc";

export const reportRouter = router({
  today: viewerProcedure.query(({ ctx }) => report.todaysReport(ctx.db, { now: ctx.now() })),
  sendTest: operatorProcedure.mutation(({ ctx }) =>
    report.sendTestDigest(ctx.db, ctx.caller, { now: ctx.now(), smtpPassword: serverConfig().FLEETWATCH_SMTP_PASSWORD }),
  ),
});
