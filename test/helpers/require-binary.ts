import { existsSync } from 'node:fs';

/**
 * Tests that need a real server or browser from Debian's packages: under CI (`CI=true`) a missing
 * binary fails the run loudly; on a developer's machine the test is skipped with the reason printed.
 */
export function requireBinary(path: string, installHint: string): boolean {
  if (existsSync(path)) return true;
  const reason = `${path} is missing (${installHint})`;
  if (process.env.CI === 'true') throw new Error(`${reason}: CI must install it (.ci/run)`);
  console.warn(`SKIPPED: ${reason}`);
  return false;
}
