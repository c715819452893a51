import { config } from "zod";

// Before any page module builds a schema: zod otherwise probes `new Function("")` once to see
// whether it may compile fast parsers, and our CSP (no 'unsafe-eval') reports that probe as a
// violation even though zod catches it. The interpreted parsers are fast enough for forms.
config({ jitless: true });
