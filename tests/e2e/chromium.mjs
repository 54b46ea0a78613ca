// The one way the end-to-end tests start Debian's Chromium: headless, and unable to reach
// any host but 127.0.0.1 (every other name resolves to nothing), so a request that tried
// to leave would fail and show up in the audit instead of reaching the network.
import { chromium } from "playwright-core";

export function launchChromium() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: [
      "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync",
      "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
    ],
  });
}
