import { readFileSync, readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';

/**
 * Niceness of threads doing work that people ask for (chart renders, local KQL runs): on a small
 * machine they would otherwise take the cores from the event loop, and intake and health checks
 * wait behind them. At 10 a busy event loop gets about nine times their share of a core, while an
 * idle one leaves them all of it.
 */
export const BACKGROUND_NICENESS = 10;

/** The calling thread's kernel id: Linux names it in `/proc/thread-self` (`<pid>/task/<tid>`). */
function kernelThreadId(): number | undefined {
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    return Number.isInteger(tid) && tid > 0 ? tid : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Sets the niceness (0 normal … 19 lowest) of the calling thread only: on Linux `setpriority` on a
 * thread id applies to that thread, not to the process, so the event loop keeps its priority.
 * Returns false where the platform cannot do it (no `/proc/thread-self`); the work then runs at
 * normal priority, which is correct, only less kind to the event loop.
 */
export function setThreadNiceness(niceness: number): boolean {
  const tid = kernelThreadId();
  if (tid === undefined) return false;
  try {
    setPriority(tid, niceness);
    return true;
  } catch {
    return false;
  }
}

/** The calling thread's niceness as the kernel reports it, or undefined off Linux. */
export function threadNiceness(): number | undefined {
  try {
    // Field 19 of stat; the command name (field 2) may hold spaces, so count from its ")".
    const stat = readFileSync('/proc/thread-self/stat', 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
  } catch {
    return undefined;
  }
}
