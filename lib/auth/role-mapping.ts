// From an identity provider's claims to a Vigil role: the roles claim (default `groups`) is looked up in
// OIDC_ROLE_MAP ("vigil-admins=admin,sre=responder"); the strongest match wins; no match gives the
// default role, or a refusal when OIDC_DEFAULT_ROLE=none.
import { roles, type Role } from "./roles";

export type RoleMap = Record<string, Role>;
export type DefaultRole = Role | "none";

const strength: Record<Role, number> = { viewer: 0, responder: 1, admin: 2 };

export function parseRoleMap(text: string): RoleMap {
  const map: RoleMap = {};
  for (const entry of text
    .split(",")
    .map((e) => e.trim())
    .filter(Boolean)) {
    const eq = entry.lastIndexOf("=");
    const group = entry.slice(0, eq).trim();
    const role = entry.slice(eq + 1).trim() as Role;
    if (eq <= 0 || !group || !roles.includes(role)) throw new Error(`"${entry}" is not group=viewer|responder|admin`);
    map[group] = role;
  }
  return map;
}

/** The claim's values as strings: a list, a single string, or a space/comma separated string. */
export function claimValues(claims: Record<string, unknown>, claimName: string): string[] {
  // Dotted names reach nested claims, e.g. realm_access.roles (Keycloak).
  const value = claimName
    .split(".")
    .reduce<unknown>(
      (v, key) => (v && typeof v === "object" ? (v as Record<string, unknown>)[key] : undefined),
      claims,
    );
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === "string");
  if (typeof value === "string") return value.split(/[\s,]+/).filter(Boolean);
  return [];
}

export function roleFromClaims(
  claims: Record<string, unknown>,
  options: { rolesClaim: string; roleMap: RoleMap; defaultRole: DefaultRole },
): Role | null {
  let best: Role | null = null;
  for (const group of claimValues(claims, options.rolesClaim)) {
    const role = options.roleMap[group];
    if (role && (best === null || strength[role] > strength[best])) best = role;
  }
  if (best) return best;
  return options.defaultRole === "none" ? null : options.defaultRole;
}
