// npm run token -- create --name NAME --role viewer|responder|admin [--scope full|alerts:write] [--expires 90d|DATE]
//   (prints the token once)
// npm run token -- list
// npm run token -- revoke <id>
import { parseArgs } from "node:util";
import { createDatabaseClient } from "@/db/client";
import { createApiToken, listApiTokens, revokeApiToken } from "@/lib/auth/api-tokens";
import { parseTokenExpiry } from "@/lib/auth/token-expiry";
import { systemActor, untrusted, type Ctx } from "@/lib/context";
import { loadConfig, requireDatabaseUrl } from "@/lib/env";
import { isAppError } from "@/lib/errors";

const usage = `Usage:
  npm run token -- create --name NAME --role viewer|responder|admin [--expires 90d|2027-01-31]
  npm run token -- create --name alertmanager --scope alerts:write [--expires …]
  npm run token -- list
  npm run token -- revoke TOKEN_ID

--scope full (the default) lets the token do everything its role allows; alerts:write only lets it send
alerts (POST /api/v1/webhooks/alertmanager): give that one to Alertmanager. --expires: days from now or
a date; without it the token does not expire.

DATABASE_URL must point at Vigil's database (npm start prints it when it runs the embedded one).`;

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    name: { type: "string" },
    role: { type: "string" },
    scope: { type: "string" },
    expires: { type: "string" },
    help: { type: "boolean", short: "h" },
  },
});
const [command, arg] = positionals;
if (values.help || !command) {
  console.log(usage);
  process.exit(command ? 0 : 1);
}

let expires_at: string | undefined;
try {
  expires_at = values.expires ? parseTokenExpiry(values.expires, new Date()).toISOString() : undefined;
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}

const client = createDatabaseClient(requireDatabaseUrl(loadConfig()), { max: 1, applicationName: "vigil-token" });
const ctx: Ctx = { db: client.db, actor: systemActor("token CLI"), now: new Date() };
try {
  if (command === "create") {
    const token = await createApiToken({
      ctx,
      input: untrusted({ name: values.name, role: values.role, scope: values.scope, expires_at }),
    });
    const expiry = token.expires_at ? `, expires ${token.expires_at}` : "";
    console.log(
      `Created ${token.role} token "${token.name}" (scope ${token.scope}${expiry}, id ${token.id}). It is shown only this once:\n\n  ${token.token}\n`,
    );
    console.log(`Use it as:  Authorization: Bearer ${token.token}`);
  } else if (command === "list") {
    const tokens = await listApiTokens({ ctx, input: {} });
    if (tokens.length === 0) console.log("No API tokens yet.");
    for (const t of tokens) {
      const expiry = t.expires_at
        ? `, ${new Date(t.expires_at) <= ctx.now ? "expired" : "expires"} ${t.expires_at}`
        : "";
      const state = t.revoked_at ? `revoked ${t.revoked_at}` : `last used ${t.last_used_at ?? "never"}${expiry}`;
      console.log(
        `${t.id}  ${t.display_prefix.padEnd(10)}  ${t.role.padEnd(9)}  ${t.scope.padEnd(12)}  ${t.name}  (${state})`,
      );
    }
  } else if (command === "revoke" && arg) {
    const token = await revokeApiToken({ ctx, input: { id: arg } });
    console.log(`Revoked "${token.name}" (${token.id}).`);
  } else {
    console.error(usage);
    process.exitCode = 1;
  }
} catch (error) {
  if (!isAppError(error)) throw error;
  console.error(error.message);
  process.exitCode = 1;
} finally {
  await client.close();
}
