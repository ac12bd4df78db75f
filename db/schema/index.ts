export * from "./users";
export * from "./api-tokens";
export * from "./incidents";
export * from "./alerts";
export * from "./timeline";
export * from "./audit";
export * from "./idempotency";
