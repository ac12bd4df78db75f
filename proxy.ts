// The request proxy (Next 16's middleware): anonymous browsers go to the sign-in page (but for an
// acknowledge link's confirm page), and pages and Auth.js's own answers get the security headers (a
// nonce-based CSP for pages). The rest of the API is
// not proxied: next.config.ts gives its answers their headers, at a fraction of the proxy's cost per
// request. It only checks that the session cookie decrypts and has not outlived SESSION_MAX_AGE since its
// sign-in; who the person is, whether they are still allowed in and what they may do is decided per
// request from the database (lib/auth/session.ts). API routes and /metrics authenticate themselves.
//
// It does not go through Auth.js's own wrapper on purpose: that re-issues the session cookie on every
// page request, and a prefetch still in flight when someone signs out would put the cookie back.
import { getToken } from "@auth/core/jwt";
import { NextResponse, type NextRequest } from "next/server";
import { liveSession, sessionSettingsFrom } from "@/lib/auth/session";
import { securityHeaders, securitySettingsFrom } from "@/lib/http/security-headers";
import { getRuntime } from "@/lib/runtime";

function withSecurityHeaders(req: NextRequest, isPage: boolean): NextResponse {
  const { config } = getRuntime();
  const nonce = isPage ? Buffer.from(crypto.randomUUID()).toString("base64") : null;
  const headers = securityHeaders(securitySettingsFrom(config, nonce));
  // Next.js reads the nonce from the request's CSP header and puts it on the scripts it renders.
  const requestHeaders = new Headers(req.headers);
  if (nonce) requestHeaders.set("content-security-policy", headers["content-security-policy"]!);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  for (const [name, value] of Object.entries(headers)) response.headers.set(name, value);
  return response;
}

async function hasSession(req: NextRequest): Promise<boolean> {
  const sessions = sessionSettingsFrom(getRuntime().config);
  if (!sessions) return false;
  const token = await getToken({ req, secret: sessions.secret, secureCookie: sessions.secureCookie }).catch(() => null);
  return liveSession(token, new Date(), sessions.maxAgeMs) !== null;
}

export async function proxy(request: NextRequest): Promise<Response> {
  const { pathname, search } = request.nextUrl;
  if (pathname.startsWith("/api/auth/") || pathname === "/metrics") return withSecurityHeaders(request, false);
  // An acknowledge link's confirm page carries its own credential, the token: a person paged at 3 a.m. on
  // a phone that never signed in to Vigil must be able to acknowledge (app/ack/[token]/page.tsx).
  const anonymous = pathname === "/sign-in" || pathname.startsWith("/ack/");
  if (!anonymous && !(await hasSession(request))) {
    const signIn = new URL("/sign-in", getRuntime().config.appUrl);
    signIn.searchParams.set("callbackUrl", `${pathname}${search}`);
    return NextResponse.redirect(signIn);
  }
  return withSecurityHeaders(request, true);
}

export const config = {
  // Everything but static files and the API (see next.config.ts); Auth.js's routes (sign-in redirects,
  // callbacks) keep the proxy's headers.
  matcher: ["/((?!api/|_next/static|_next/image|favicon.ico|icon.svg).*)", "/api/auth/:path*"],
};
