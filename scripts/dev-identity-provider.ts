// The dev identity provider: a real OpenID Provider (oidc-provider) with the fixed accounts alice
// (admin), bob (responder) and carol (viewer), any password; any other login is a new person in no group.
// `npm start` runs it when OIDC_ISSUER is not set, and the e2e tests sign in through it. Never for production: it lets anyone in as anyone listed.
// So it listens on localhost only, unless HOST says otherwise.
//
// Run alone: node --import tsx scripts/dev-identity-provider.ts [port] [app url]   (HOST as for npm start)
import { createServer, type Server } from "node:http";
import { randomBytes } from "node:crypto";
import type { AddressInfo } from "node:net";
import { Provider, type KoaContextWithOIDC } from "oidc-provider";
import { devAccounts } from "@/lib/auth/dev-accounts";
import { loadConfig } from "@/lib/env";

export const DEV_CLIENT_ID = "vigil-dev";
export const DEV_CLIENT_SECRET = "vigil-dev-secret-not-for-production";

export interface DevIdentityProvider {
  issuer: string;
  /** The address it listens on (127.0.0.1 for localhost, 0.0.0.0 or :: for every interface). */
  address: string;
  close(): Promise<void>;
}

export async function startDevIdentityProvider({
  port,
  appUrl,
  host = "localhost",
}: {
  port: number;
  appUrl: string;
  host?: string;
}): Promise<DevIdentityProvider> {
  const issuer = `http://localhost:${port}`;
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: DEV_CLIENT_ID,
        client_secret: DEV_CLIENT_SECRET,
        redirect_uris: [`${appUrl}/api/auth/callback/oidc`],
        post_logout_redirect_uris: [`${appUrl}/sign-in`],
        response_types: ["code"],
        grant_types: ["authorization_code"],
      },
    ],
    claims: {
      openid: ["sub"],
      email: ["email", "email_verified"],
      profile: ["name", "preferred_username"],
      groups: ["groups"],
    },
    // Keep groups and the profile in the ID token, where Auth.js reads them (the default leaves them out).
    conformIdTokenClaims: false,
    pkce: { required: () => true },
    features: { devInteractions: { enabled: true } },
    cookies: { keys: [randomBytes(32).toString("hex")] },
    ttl: {
      Interaction: 3600,
      Session: 14 * 24 * 3600,
      Grant: 14 * 24 * 3600,
      AccessToken: 3600,
      IdToken: 3600,
      AuthorizationCode: 60,
    },
    async findAccount(_ctx, id) {
      // Any other login signs in as a new person in no group, whom OIDC_DEFAULT_ROLE (viewer) applies to.
      const login =
        id
          .trim()
          .toLowerCase()
          .replace(/[^a-z0-9._-]+/g, "-")
          .slice(0, 64) || "someone";
      const account = devAccounts.find((a) => a.login === login) ?? {
        login,
        name: login.charAt(0).toUpperCase() + login.slice(1),
        email: `${login}@example.com`,
        groups: [],
      };
      return {
        accountId: account.login,
        async claims() {
          return {
            sub: account.login,
            email: account.email,
            email_verified: true,
            name: account.name,
            preferred_username: account.login,
            groups: [...account.groups],
          };
        },
      };
    },
    // Vigil is this provider's only, first-party client: grant it the scopes it asks for without a
    // consent screen, so signing in is: pick an account, done.
    async loadExistingGrant(ctx: KoaContextWithOIDC) {
      const { oidc } = ctx;
      const grantId = oidc.result?.consent?.grantId || oidc.session!.grantIdFor(oidc.client!.clientId);
      if (grantId) return oidc.provider.Grant.find(grantId);
      const grant = new oidc.provider.Grant({ clientId: oidc.client!.clientId, accountId: oidc.session!.accountId! });
      grant.addOIDCScope("openid email profile groups");
      grant.addOIDCClaims(["email", "email_verified", "name", "preferred_username", "groups"]);
      await grant.save();
      return grant;
    },
  });
  provider.on("server_error", (_ctx, error) => console.error("[dev identity provider]", error));

  const server: Server = createServer(provider.callback());
  await new Promise<void>((resolve, reject) => {
    server.once("error", (error: NodeJS.ErrnoException) =>
      reject(
        error.code === "EADDRINUSE"
          ? new Error(
              `The dev identity provider cannot listen on port ${port}: it is in use (set OIDC_ISSUER to use your own)`,
            )
          : error,
      ),
    );
    server.listen(port, host, resolve);
  });
  return {
    issuer,
    address: (server.address() as AddressInfo).address,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const port = Number(process.argv[2] ?? 3001);
  const appUrl = process.argv[3] ?? "http://localhost:3000";
  const idp = await startDevIdentityProvider({ port, appUrl, host: loadConfig().host });
  console.log(
    `Dev identity provider at ${idp.issuer} (client ${DEV_CLIENT_ID}); accounts: ${devAccounts.map((a) => a.login).join(", ")}, any password.`,
  );
}
