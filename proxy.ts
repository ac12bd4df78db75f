// The request proxy (Next 16's middleware): anonymous browsers go to the sign-in page, and every
// response gets the security headers (a nonce-based CSP for pages). API routes authenticate
// themselves (Bearer token or session), so they pass through here unredirected.
import { NextResponse, type NextFetchEvent, type NextRequest } from "next/server";
import { auth } from "@/auth";
import { securityHeaders } from "@/lib/http/security-headers";
import { getRuntime } from "@/lib/runtime";

const publicPaths = ["/sign-in", "/api/", "/metrics"];

const authenticated = auth((req) => {
  const { config } = getRuntime();
  const { pathname, search } = req.nextUrl;
  const isPublic = publicPaths.some((p) => pathname === p || (p.endsWith("/") && pathname.startsWith(p)));
  if (!req.auth && !isPublic) {
    const signIn = new URL("/sign-in", config.appUrl);
    signIn.searchParams.set("callbackUrl", `${pathname}${search}`);
    return NextResponse.redirect(signIn);
  }

  const isPage = !pathname.startsWith("/api/") && pathname !== "/metrics";
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
});

// Auth.js with a lazily built configuration hands back its wrapper asynchronously; Next.js wants a
// function it can find by name.
export async function proxy(request: NextRequest, event: NextFetchEvent): Promise<Response | undefined> {
  const handler = (await authenticated) as unknown as (request: NextRequest, event: NextFetchEvent) => Promise<Response | undefined>;
  return handler(request, event);
}

export const config = {
  matcher: ["/((?!_next/static|_next/image|favicon.ico).*)"],
};
