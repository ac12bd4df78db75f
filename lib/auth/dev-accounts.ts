// The dev identity provider's fixed accounts (any password). The demo seed creates the same people, so
// Slack and the API can name them before their first sign-in.
export const devAccounts = [
  { login: "alice", name: "Alice Admin", email: "alice@example.com", groups: ["vigil-admins"], role: "admin" },
  { login: "bob", name: "Bob Responder", email: "bob@example.com", groups: ["vigil-responders"], role: "responder" },
  { login: "carol", name: "Carol Viewer", email: "carol@example.com", groups: ["vigil-viewers"], role: "viewer" },
] as const;

/** Maps the dev accounts' groups; also the default OIDC_ROLE_MAP. */
export const defaultRoleMap = "vigil-admins=admin,vigil-responders=responder";
