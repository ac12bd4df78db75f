// Auth.js v5: sign-in through one OpenID Connect provider (OIDC_ISSUER; `npm start` runs a dev one).
// Sessions are encrypted JWT cookies that end SESSION_MAX_AGE after sign-in, however often Auth.js
// refreshes them. Whether a session still stands and what it may do is decided per request from the
// database (lib/auth/session.ts), not from the cookie.
import { encode } from "@auth/core/jwt";
import NextAuth, { type DefaultSession } from "next-auth";
import type { Role } from "@/lib/auth/roles";
import { sessionCookieMaxAge, sessionPerson } from "@/lib/auth/session";
import { clientIp } from "@/lib/http/request";
import { findUserBySubject } from "@/lib/users/find-user";
import { recordSignIn, recordSignOut, type SignInRefusal } from "@/lib/users/record-sign-in";
import { getRuntime } from "@/lib/runtime";

declare module "next-auth" {
  interface Session {
    user: { id: string; role: Role } & DefaultSession["user"];
  }
}

/** The sign-in page's `error` codes for each refusal (app/sign-in/page.tsx words them). */
const signInErrorCodes: Record<SignInRefusal, string> = {
  no_role: "NoRole",
  email_unverified: "EmailNotVerified",
  disabled: "Disabled",
};

export const { handlers, auth, signIn, signOut } = NextAuth((request) => {
  const { config, database } = getRuntime();
  const ip = request ? clientIp(request) : null;
  const ctx = (now = new Date()) => ({
    db: database.db,
    actor: { type: "system" as const, name: "sign-in", role: "viewer" as const, ip },
    now,
  });
  const { issuer, clientId, clientSecret, sessionMaxAgeMs } = config.auth;
  return {
    secret: config.auth.secret,
    trustHost: true,
    session: { strategy: "jwt", maxAge: Math.floor(sessionMaxAgeMs / 1000) },
    // Each cookie Auth.js mints (at sign-in, and again on every GET /api/auth/session) expires no later
    // than SESSION_MAX_AGE after the sign-in, not SESSION_MAX_AGE after now.
    jwt: {
      encode: (params) => encode({ ...params, maxAge: sessionCookieMaxAge(params.token, new Date(), sessionMaxAgeMs) }),
    },
    pages: { signIn: "/sign-in", error: "/sign-in" },
    providers: issuer
      ? [
          {
            id: "oidc",
            name: "Single sign-on",
            type: "oidc",
            issuer,
            clientId,
            clientSecret,
            // The dev identity provider is for trying the roles: it asks who you are at every sign-in, so
            // that after signing out you can come back as someone else (its own session would not ask).
            authorization: {
              params: {
                scope: "openid email profile groups",
                ...(config.auth.devIdentityProvider ? { prompt: "login" } : {}),
              },
            },
            checks: ["pkce", "state"],
          },
        ]
      : [],
    callbacks: {
      async signIn({ profile }) {
        if (!profile?.sub) return "/sign-in?error=AccessDenied";
        const result = await recordSignIn(
          ctx(),
          {
            subject: profile.sub,
            email: String(profile.email ?? ""),
            // Some providers (AWS Cognito) send the claim as a string.
            emailVerified: profile.email_verified === true || String(profile.email_verified) === "true",
            name: String(profile.name ?? profile.preferred_username ?? ""),
            claims: profile,
          },
          config.auth,
        );
        return "refused" in result ? `/sign-in?error=${signInErrorCodes[result.reason]}` : true;
      },
      async jwt({ token, trigger, profile }) {
        if ((trigger === "signIn" || trigger === "signUp") && profile?.sub) {
          const user = await findUserBySubject(database.db, profile.sub);
          if (!user) return null;
          // The sign-in time recordSignIn stamped: "sign out everywhere" compares against it.
          const signedInAt = (user.lastSignInAt ?? new Date()).getTime();
          return Object.assign(token, {
            uid: user.id,
            role: user.role,
            name: user.name,
            email: user.email,
            signedInAt,
          });
        }
        // Any other read, above all GET /api/auth/session (which re-issues the cookie): null deletes the
        // cookie of a session past SESSION_MAX_AGE, or of a person disabled or signed out everywhere.
        return (await sessionPerson(database.db, token, new Date(), sessionMaxAgeMs)) ? token : null;
      },
      session({ session, token }) {
        if (token.uid) session.user.id = token.uid;
        if (token.role) session.user.role = token.role;
        return session;
      },
    },
    events: {
      async signOut(message) {
        const token = "token" in message ? message.token : null;
        if (!token?.uid) return;
        await recordSignOut({
          ...ctx(),
          actor: {
            type: "user",
            userId: token.uid,
            name: String(token.name ?? ""),
            email: String(token.email ?? ""),
            role: token.role ?? "viewer",
            ip,
          },
        });
      },
    },
  };
});
