import { existsSync } from "node:fs";
import { test } from "@playwright/test";
import { chromiumPath } from "../../playwright.config";

/** Browser specs need Debian's Chromium (CI installs it); without it they are skipped, saying why. */
export function requireChromium(): void {
  test.skip(
    !existsSync(chromiumPath),
    `Chromium is not installed at ${chromiumPath}: apt-get install chromium (or set CHROMIUM_PATH)`,
  );
}
