import { z } from 'zod';

/** Whether the runtime knows `zone` as an IANA time zone (`Europe/Paris`, `UTC`). */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** An IANA time zone the runtime knows, as every policy and chart field that names one reads it. */
export const timeZoneSchema = z
  .string()
  .refine(isTimeZone, { message: 'is not an IANA time zone such as Europe/Amsterdam or UTC' });
