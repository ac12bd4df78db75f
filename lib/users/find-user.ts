import { eq } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { users, type UserRow } from "@/db/schema";

export async function findUserBySubject(db: DbOrTx, subject: string): Promise<UserRow | null> {
  const [user] = await db.select().from(users).where(eq(users.oidcSubject, subject));
  return user ?? null;
}
