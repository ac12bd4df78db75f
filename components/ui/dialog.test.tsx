import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { Dialog } from "./dialog";

// What the browser does with it (focus moved in and given back, Escape) is checked in Chromium by
// e2e/accessibility.spec.ts; here, what a screen reader is told before it opens.
const html = renderToStaticMarkup(
  <Dialog open={false} onClose={() => {}} title="Resolve INC-7">
    <p>Body</p>
  </Dialog>,
);

describe("Dialog", () => {
  it("is a modal dialog named by its title", () => {
    const labelledBy = /<dialog[^>]* aria-labelledby="([^"]+)"/.exec(html)?.[1];
    expect(html).toMatch(/^<dialog[^>]* role="dialog"[^>]* aria-modal="true"/);
    expect(labelledBy).toBeTruthy();
    expect(html).toContain(`<h2 id="${labelledBy}" class="mb-3 text-lg font-semibold">Resolve INC-7</h2>`);
  });

  it("stays closed, its content in the page but not shown, until it is opened", () => {
    expect(html).not.toMatch(/<dialog[^>]* open/);
    expect(html).toContain("<p>Body</p>");
  });
});
