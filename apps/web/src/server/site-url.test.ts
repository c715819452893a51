import { describe, expect, it } from "vitest";
import { siteUrl } from "./site-url";

describe("the site's address", () => {
  it("is the host the request came to, over plain HTTP when no proxy says otherwise", () => {
    expect(siteUrl(new Headers({ host: "fleetwatch.example.org:3000" }))).toBe("http://fleetwatch.example.org:3000");
  });

  it("is what a proxy forwarded: its scheme and host over the proxy's own hop", () => {
    const headers = new Headers({ host: "10.0.0.5:3000", "x-forwarded-proto": "https", "x-forwarded-host": "backups.example.ac.uk" });
    expect(siteUrl(headers)).toBe("https://backups.example.ac.uk");
  });

  it("is localhost when the request names no host", () => {
    expect(siteUrl(new Headers())).toBe("http://localhost");
  });
});
