/** The browser's executable: CHROMIUM_PATH, else Debian's. */
export declare const CHROMIUM: string
/** Options for playwright-core's `chromium.launch`: headless, sandbox off, no network of its own. */
export declare function chromiumLaunchOptions(): { executablePath: string; args: string[] }
/** True when Chromium is here; without it `what` is skipped with a warning, and in CI (`inCI`) it throws. */
export declare function chromiumPresent(what: string): boolean
