"use client";

// A navigation link that knows whether it is where you are: `aria-current="page"` for screen readers,
// and the `current` style for everyone else. "/" is current only on the board itself; any other link
// also for the pages under it (/admin/users for /admin/users/…, /runbooks for a runbook).
import Link from "next/link";
import { usePathname } from "next/navigation";

export function NavLink({
  href,
  className,
  current,
  children,
}: {
  href: string;
  className: string;
  current: string;
  children: React.ReactNode;
}) {
  const pathname = usePathname();
  const here = href === "/" ? pathname === "/" : pathname === href || pathname.startsWith(`${href}/`);
  return (
    <Link href={href} aria-current={here ? "page" : undefined} className={`${className} ${here ? current : ""}`}>
      {children}
    </Link>
  );
}
