import { z } from 'zod';

/** A secret variable: empty means unset; a set one has at least `min` characters. */
export const optionalSecret = (min: number) =>
  z
    .string()
    .optional()
    .transform((v) => (v === '' ? undefined : v))
    .pipe(z.string().min(min, `must be at least ${min} characters`).optional());
