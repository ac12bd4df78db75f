import AxeBuilder from "@axe-core/playwright";
import { expect, type Page } from "@playwright/test";

/** axe's serious and critical violations on the page as it stands, each named with where it is. */
export async function seriousAxeViolations(page: Page, where = page.url()): Promise<string[]> {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map(
      (v) =>
        `${where} ${v.id}: ${v.help} — ${v.nodes
          // The element's opening tag too: ":root" alone does not say which attribute axe saw.
          .map((n) => `${n.target.join(" ")} ${n.html.slice(0, 200)}`)
          .slice(0, 5)
          .join(", ")}`,
    );
}

export async function expectNoSeriousAxeViolations(page: Page, where?: string): Promise<void> {
  expect(await seriousAxeViolations(page, where)).toEqual([]);
}
