import { existsSync } from 'node:fs';

/** Debian's Chromium (`apt-get install -y chromium`); HERALD_CHROMIUM names another binary. */
export const CHROMIUM = process.env.HERALD_CHROMIUM ?? '/usr/bin/chromium';

export const chromiumPresent = (): boolean => existsSync(CHROMIUM);
