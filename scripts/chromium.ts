/**
 * Debian's `chromium`, driven by playwright-core (which never downloads a browser), for the tests
 * and the bench that open a page in a real browser. `scripts/ensure-chromium.sh` installs the
 * package when it is missing and this runs as root; when it can't, launching fails with its
 * message: a page that was never opened proves nothing.
 */
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { chromium, type Browser } from "playwright-core";
import { REPO_ROOT } from "./pulumi-workspace";

/** Flags for a quiet, offline, throw-away browser (Playwright adds a fresh user-data-dir). */
export const CHROMIUM_FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** The browser's path, installing Debian's package first when needed; throws with the script's message otherwise. */
export function chromiumPath(): string {
  try {
    const out = execFileSync("bash", [join(REPO_ROOT, "scripts", "ensure-chromium.sh")], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
    return out.trim().split("\n").pop() ?? "";
  } catch (error) {
    const stderr = String((error as { stderr?: unknown }).stderr ?? "").trim();
    throw new Error(`chromium is needed here and is not available: ${stderr !== "" ? stderr : String(error)}`);
  }
}

/** Launches headless Chromium. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_FLAGS, headless: true });
}
