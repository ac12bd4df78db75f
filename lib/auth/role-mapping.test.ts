import { describe, expect, it } from "vitest";
import { claimValues, parseRoleMap, roleFromClaims } from "./role-mapping";

const roleMap = parseRoleMap("vigil-admins=admin, sre=responder, on-call=responder");
const options = { rolesClaim: "groups", roleMap, defaultRole: "viewer" as const };

describe("roles from identity provider claims", () => {
  it("maps groups to roles, the strongest match winning", () => {
    expect(roleFromClaims({ groups: ["sre"] }, options)).toBe("responder");
    expect(roleFromClaims({ groups: ["sre", "vigil-admins"] }, options)).toBe("admin");
  });

  it("gives the default role to someone matching no rule, or refuses them when the default is none", () => {
    expect(roleFromClaims({ groups: ["marketing"] }, options)).toBe("viewer");
    expect(roleFromClaims({}, options)).toBe("viewer");
    expect(roleFromClaims({ groups: ["marketing"] }, { ...options, defaultRole: "none" })).toBeNull();
  });

  it("reads the claim as a list, a string, or a nested claim", () => {
    expect(claimValues({ groups: "sre on-call" }, "groups")).toEqual(["sre", "on-call"]);
    expect(claimValues({ realm_access: { roles: ["sre"] } }, "realm_access.roles")).toEqual(["sre"]);
    expect(
      roleFromClaims({ realm_access: { roles: ["vigil-admins"] } }, { ...options, rolesClaim: "realm_access.roles" }),
    ).toBe("admin");
  });

  it("refuses a malformed map, saying which entry", () => {
    expect(() => parseRoleMap("sre=superuser")).toThrow(/"sre=superuser" is not group=viewer\|responder\|admin/);
    expect(() => parseRoleMap("=admin")).toThrow();
    expect(parseRoleMap("team=sre=responder")).toEqual({ "team=sre": "responder" });
  });
});
