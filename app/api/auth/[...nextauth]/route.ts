// GET|POST /api/auth/* – Auth.js: sign-in redirects, the OIDC callback, sign-out, session
import { handlers } from "@/auth";

export const { GET, POST } = handlers;
