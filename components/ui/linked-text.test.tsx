import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { LinkedText } from "./linked-text";

const html = (text: string) => renderToStaticMarkup(<LinkedText text={text} />);

describe("LinkedText", () => {
  it("links http(s) addresses, leaving the sentence's punctuation outside the link", () => {
    expect(html("Postmortem draft is ready: http://vigil.test/postmortems/42.")).toBe(
      'Postmortem draft is ready: <a href="http://vigil.test/postmortems/42" class="break-all text-blue-700 underline dark:text-blue-400" rel="noreferrer noopener" target="_blank">http://vigil.test/postmortems/42</a>.',
    );
  });

  it("escapes everything else and links nothing but http(s)", () => {
    expect(html('<b>bold</b> javascript:alert(1) "quoted"')).toBe(
      "&lt;b&gt;bold&lt;/b&gt; javascript:alert(1) &quot;quoted&quot;",
    );
  });
});
