import { describe, expect, it } from "vitest";
import { incidentChannelName, wantsIncidentChannel } from "./incident-channel";

describe("incident channels", () => {
  it("are named #inc-<n>-<slug> within Slack's rules", () => {
    expect(incidentChannelName(123, "Checkout 5xx above 5%!")).toBe("inc-123-checkout-5xx-above-5");
    expect(incidentChannelName(7, "Zürich DC: Ümlauts & ÇA")).toBe("inc-7-zurich-dc-umlauts-ca");
    expect(incidentChannelName(8, "🔥🔥")).toBe("inc-8");
    const long = incidentChannelName(99999, "a".repeat(200));
    expect(long.length).toBeLessThanOrEqual(80);
    expect(long).toMatch(/^inc-99999-a+$/);
    expect(incidentChannelName(1, `${"word ".repeat(30)}`)).not.toMatch(/-$/);
  });

  it("are for P0 and P1 incidents that are not resolved", () => {
    expect(wantsIncidentChannel({ severity: "P0", status: "open" })).toBe(true);
    expect(wantsIncidentChannel({ severity: "P1", status: "investigating" })).toBe(true);
    expect(wantsIncidentChannel({ severity: "P2", status: "open" })).toBe(false);
    expect(wantsIncidentChannel({ severity: "P1", status: "resolved" })).toBe(false);
  });
});
