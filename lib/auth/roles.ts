export const roles = ["viewer", "responder", "admin"] as const;
export type Role = (typeof roles)[number];
