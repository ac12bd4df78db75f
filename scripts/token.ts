// npm run token -- create --name NAME --role viewer|responder|admin   (prints the token once)
// npm run token -- list
// npm run token -- revoke <id>
import { parseArgs } from "node:util";
import { createDatabaseClient } from "@/db/client";
import { createApiToken, listApiTokens, revokeApiToken } from "@/lib/auth/api-tokens";
import { systemActor, untrusted, type Ctx } from "@/lib/context";
import { loadConfig, requireDatabaseUrl } from "@/lib/env";
import { isAppError } from "@/lib/errors";

const usage = `Usage:
  npm run token -- create --name NAME --role viewer|responder|admin
  npm run token -- list
  npm run token -- revoke TOKEN_ID

DATABASE_URL must point at Vigil's database (npm start prints it when it runs the embedded one).`;

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: { name: { type: "string" }, role: { type: "string" }, help: { type: "boolean", short: "h" } },
});
const [command, arg] = positionals;
if (values.help || !command) {
  console.log(usage);
  process.exit(command ? 0 : 1);
}

const client = createDatabaseClient(requireDatabaseUrl(loadConfig()), { max: 1, applicationName: "vigil-token" });
const ctx: Ctx = { db: client.db, actor: systemActor("token CLI"), now: new Date() };
try {
  if (command === "create") {
    const token = await createApiToken({ ctx, input: untrusted({ name: values.name, role: values.role }) });
    console.log(`Created ${token.role} token "${token.name}" (id ${token.id}). It is shown only this once:\n\n  ${token.token}\n`);
    console.log(`Use it as:  Authorization: Bearer ${token.token}`);
  } else if (command === "list") {
    const tokens = await listApiTokens({ ctx, input: {} });
    if (tokens.length === 0) console.log("No API tokens yet.");
    for (const t of tokens) {
      const state = t.revoked_at ? `revoked ${t.revoked_at}` : `last used ${t.last_used_at ?? "never"}`;
      console.log(`${t.id}  ${t.display_prefix.padEnd(10)}  ${t.role.padEnd(9)}  ${t.name}  (${state})`);
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
