// Inbound webhook deliveries already processed, by the sender's delivery id: vendors deliver at least
// once, and a repeat must change nothing.
import { pgTable, primaryKey, text, timestamp } from "drizzle-orm/pg-core";

export const webhookDeliveries = pgTable(
  "webhook_deliveries",
  {
    source: text().notNull(),
    deliveryId: text().notNull(),
    receivedAt: timestamp({ withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.source, t.deliveryId] })],
);
