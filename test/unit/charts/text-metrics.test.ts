import { describe, expect, it } from 'vitest';
import { chartFontFiles } from '../../../cards/charts/fonts.ts';
import { loadFontMetrics, measureWith, parseCssFont } from '../../../cards/charts/text-metrics.ts';

describe('chart text metrics', () => {
  const [regular, bold] = chartFontFiles().map(loadFontMetrics);

  it('reads DejaVu Sans advance widths from the font file', () => {
    // DejaVu Sans digits are 1303/2048 em wide; a space is 651/2048 em.
    expect(measureWith(regular!, '0', 2048)).toBeCloseTo(1303, 5);
    expect(measureWith(regular!, ' ', 2048)).toBeCloseTo(651, 5);
    expect(measureWith(regular!, '°C', 12)).toBeGreaterThan(measureWith(regular!, 'C', 12));
    expect(measureWith(bold!, 'node-7', 17)).toBeGreaterThan(measureWith(regular!, 'node-7', 17));
    expect(measureWith(regular!, 'iiii', 12)).toBeLessThan(measureWith(regular!, 'MMMM', 12));
  });

  it('parses CSS font shorthands', () => {
    expect(parseCssFont('bold 17px "DejaVu Sans"')).toEqual({ sizePx: 17, bold: true });
    expect(parseCssFont('normal normal 11px DejaVu Sans')).toEqual({ sizePx: 11, bold: false });
    expect(parseCssFont('600 13px sans-serif')).toEqual({ sizePx: 13, bold: true });
    expect(parseCssFont(undefined)).toEqual({ sizePx: 12, bold: false });
  });
});
