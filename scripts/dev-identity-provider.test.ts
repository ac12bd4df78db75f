// The dev identity provider lets anyone sign in as an admin with any password: it must not be reachable
// from other machines unless HOST says so.
import os from "node:os";
import { afterEach, describe, expect, it } from "vitest";
import { freePort } from "@/db/embedded-postgres";
import { startDevIdentityProvider, type DevIdentityProvider } from "./dev-identity-provider";

/** This machine's first non-loopback IPv4 address, if it has one. */
const externalAddress = Object.values(os.networkInterfaces())
  .flat()
  .find((i) => i && i.family === "IPv4" && !i.internal)?.address;

const discovery = (host: string, port: number) =>
  fetch(`http://${host}:${port}/.well-known/openid-configuration`, { signal: AbortSignal.timeout(5000) });

let idp: DevIdentityProvider | undefined;
afterEach(async () => {
  await idp?.close();
  idp = undefined;
});

describe("the dev identity provider", () => {
  it("listens on loopback only by default", async () => {
    const port = await freePort();
    idp = await startDevIdentityProvider({ port, appUrl: "http://localhost:3000" });
    expect(idp.address).toMatch(/^(127\.0\.0\.1|::1)$/);
    expect((await discovery("localhost", port)).ok).toBe(true);
    if (externalAddress) await expect(discovery(externalAddress, port)).rejects.toThrow();
  });

  it.skipIf(!externalAddress)("listens on every interface with HOST=0.0.0.0", async () => {
    const port = await freePort();
    idp = await startDevIdentityProvider({ port, appUrl: "http://localhost:3000", host: "0.0.0.0" });
    expect(idp.address).toBe("0.0.0.0");
    expect((await discovery(externalAddress!, port)).ok).toBe(true);
  });
});
