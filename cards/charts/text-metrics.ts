import { readFileSync } from 'node:fs';

/** Advance widths of one TrueType font, in em, by code point. */
interface FontMetrics {
  widths: Map<number, number>;
  fallback: number;
}

function table(buf: Buffer, tag: string): number {
  const count = buf.readUInt16BE(4);
  for (let i = 0; i < count; i++) {
    const at = 12 + 16 * i;
    if (buf.toString('latin1', at, at + 4) === tag) return buf.readUInt32BE(at + 8);
  }
  throw new Error(`font has no ${tag} table`);
}

/** Code point → glyph id from the Unicode BMP `cmap` subtable (format 4). */
function readCmap(buf: Buffer): Map<number, number> {
  const cmap = table(buf, 'cmap');
  const count = buf.readUInt16BE(cmap + 2);
  let sub = -1;
  for (let i = 0; i < count; i++) {
    const platform = buf.readUInt16BE(cmap + 4 + 8 * i);
    const encoding = buf.readUInt16BE(cmap + 6 + 8 * i);
    const offset = cmap + buf.readUInt32BE(cmap + 8 + 8 * i);
    if (buf.readUInt16BE(offset) === 4 && ((platform === 3 && encoding === 1) || platform === 0))
      sub = offset;
  }
  const glyphs = new Map<number, number>();
  if (sub < 0) return glyphs;
  const segs = buf.readUInt16BE(sub + 6) / 2;
  const ends = sub + 14;
  const starts = ends + 2 * segs + 2;
  const deltas = starts + 2 * segs;
  const rangeOffsets = deltas + 2 * segs;
  for (let s = 0; s < segs; s++) {
    const start = buf.readUInt16BE(starts + 2 * s);
    const end = buf.readUInt16BE(ends + 2 * s);
    const delta = buf.readInt16BE(deltas + 2 * s);
    const rangeOffset = buf.readUInt16BE(rangeOffsets + 2 * s);
    // Latin, Latin-1 and general punctuation cover every label the charts write.
    for (let c = start; c <= Math.min(end, 0x2fff); c++) {
      let glyph: number;
      if (rangeOffset === 0) glyph = (c + delta) & 0xffff;
      else {
        const at = rangeOffsets + 2 * s + rangeOffset + 2 * (c - start);
        const raw = buf.readUInt16BE(at);
        glyph = raw === 0 ? 0 : (raw + delta) & 0xffff;
      }
      if (glyph) glyphs.set(c, glyph);
    }
  }
  return glyphs;
}

/** Reads the advance widths the renderer (resvg) will use, so layout and pixels agree. */
export function loadFontMetrics(path: string): FontMetrics {
  const buf = readFileSync(path);
  const unitsPerEm = buf.readUInt16BE(table(buf, 'head') + 18);
  const metricsCount = buf.readUInt16BE(table(buf, 'hhea') + 34);
  const hmtx = table(buf, 'hmtx');
  const advance = (glyph: number) =>
    buf.readUInt16BE(hmtx + 4 * Math.min(glyph, metricsCount - 1)) / unitsPerEm;
  const widths = new Map<number, number>();
  for (const [code, glyph] of readCmap(buf)) widths.set(code, advance(glyph));
  return { widths, fallback: widths.get(0x4f) ?? 0.6 };
}

/** Width in pixels of `text` at `sizePx`. */
export function measureWith(metrics: FontMetrics, text: string, sizePx: number): number {
  let em = 0;
  for (const ch of text) em += metrics.widths.get(ch.codePointAt(0) ?? 0) ?? metrics.fallback;
  return em * sizePx;
}

/** Size and weight out of a CSS font shorthand such as `bold 17px "DejaVu Sans"`. */
export function parseCssFont(font: string | undefined): { sizePx: number; bold: boolean } {
  const size = /(\d+(?:\.\d+)?)px/.exec(font ?? '');
  return { sizePx: size ? Number(size[1]) : 12, bold: /\bbold(er)?\b|\b[6-9]00\b/.test(font ?? '') };
}
