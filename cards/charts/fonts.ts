import { existsSync } from 'node:fs';
import { AppError } from '../../core/errors.ts';

const FONT_DIR = '/usr/share/fonts/truetype/dejavu';
/** The family echarts writes into the SVG and resvg resolves from the files below. */
export const CHART_FONT_FAMILY = 'DejaVu Sans';
const FILES = ['DejaVuSans.ttf', 'DejaVuSans-Bold.ttf'];

let cached: string[] | undefined;

/**
 * The font files handed to resvg. Explicit files keep rendering fast and identical across
 * machines (scanning system fonts costs tens of ms and varies by host). Resolved once.
 */
export function chartFontFiles(): string[] {
  if (cached) return cached;
  const dir = process.env.CHART_FONT_DIR ?? FONT_DIR;
  const files = FILES.map((f) => `${dir}/${f}`);
  const missing = files.filter((f) => !existsSync(f));
  if (missing.length) {
    throw new AppError(
      'CHART_FONTS_MISSING',
      `Chart fonts not found: ${missing.join(', ')}. Install fonts-dejavu-core or set CHART_FONT_DIR.`,
    );
  }
  cached = files;
  return files;
}
