// The request proxy (Next 16's middleware): anonymous browsers go to the sign-in page, and every
// response gets the security headers (a nonce-based CSP for pages). API routes and /metrics
// authenticate themselves (Bearer token or session) and skip the session decoding here: it is the
// most expensive step of an API request, and they do not need it.
import { NextResponse, type NextFetchEvent, type NextRequest } from "next/server";
import { auth } from "@/auth";
import { securityHeaders } from "@/lib/http/security-headers";
import { getRuntime } from "@/lib/runtime";

function withSecurityHeaders(req: NextRequest, isPage: boolean): NextResponse {
  const { config } = getRuntime();
  const nonce = isPage ? Buffer.from(crypto.randomUUID()).toString("base64") : null;
  const headers = securityHeaders({
    nonce,
    grafanaUrl: config.grafanaUrl,
    identityProviderUrl: config.auth.issuer,
    production: config.nodeEnv === "production",
    https: config.appUrl.startsWith("https:"),
  });
  // Next.js reads the nonce from the request's CSP header and puts it on the scripts it renders.
  const requestHeaders = new Headers(req.headers);
  if (nonce) requestHeaders.set("content-security-policy", headers["content-security-policy"]!);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  for (const [name, value] of Object.entries(headers)) response.headers.set(name, value);
  return response;
}

const pages = auth((req) => {
  const { pathname, search } = req.nextUrl;
  if (!req.auth && pathname !== "/sign-in") {
    const signIn = new URL("/sign-in", getRuntime().config.appUrl);
    signIn.searchParams.set("callbackUrl", `${pathname}${search}`);
    return NextResponse.redirect(signIn);
  }
  return withSecurityHeaders(req, true);
});

export async function proxy(request: NextRequest, event: NextFetchEvent): Promise<Response | undefined> {
  const { pathname } = request.nextUrl;
  if (pathname.startsWith("/api/") || pathname === "/metrics") return withSecurityHeaders(request, false);
  // Auth.js with a lazily built configuration hands back its wrapper asynchronously.
  const handler = (await pages) as unknown as (request: NextRequest, event: NextFetchEvent) => Promise<Response | undefined>;
  return handler(request, event);
}

export const config = {
  matcher: ["/((?!_next/static|_next/image|favicon.ico).*)"],
};
