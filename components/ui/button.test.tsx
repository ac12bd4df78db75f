import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { Button } from "./button";

// The server's HTML is what a user can click before React hydrates; a click handler is not there yet.
describe("Button in the server's HTML", () => {
  it("is disabled when its work is a click handler, so an early click is not silently lost", () => {
    expect(renderToStaticMarkup(<Button onClick={() => {}}>Acknowledge</Button>)).toMatch(/^<button[^>]* disabled=""/);
  });

  it("stays enabled as a form's submit button, which works without JavaScript", () => {
    expect(renderToStaticMarkup(<Button type="submit">Save</Button>)).not.toMatch(/ disabled=""/);
  });
});
