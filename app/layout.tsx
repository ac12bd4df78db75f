import type { Metadata } from "next";
import { cookies } from "next/headers";
import { Providers } from "@/components/providers";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Vigil", template: "%s · Vigil" },
  description: "Incident management and alerting",
};

export default async function RootLayout({ children }: { children: React.ReactNode }) {
  // A chosen theme is a cookie, so the server renders it and nothing flashes; without one, the system decides.
  const theme = (await cookies()).get("theme")?.value;
  return (
    <html lang="en" className={theme === "dark" || theme === "light" ? theme : undefined}>
      <body className="min-h-screen bg-zinc-50 text-zinc-900 antialiased dark:bg-zinc-950 dark:text-zinc-100">
        <Providers>{children}</Providers>
      </body>
    </html>
  );
}
