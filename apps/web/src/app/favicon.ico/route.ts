/** Browsers still ask for /favicon.ico on their own (headless Chromium does, now and then): send them to the icon. */
export function GET(request: Request) {
  return Response.redirect(new URL("/icon.svg", request.url), 308);
}
