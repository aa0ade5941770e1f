/**
 * `npm run manifest:teams`: renders the Teams app icons from their SVG sources and zips
 * manifest.json with them into `manifest/teams/build/oncall-bot.zip`, ready to upload to Teams.
 * With `clientId` (the Azure Bot app id) and `PUBLIC_URL` set, they replace the placeholders.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { crc32, deflateRawSync } from 'node:zlib';
import { Resvg } from '@resvg/resvg-js';

export const MANIFEST_DIR = fileURLToPath(new URL('../manifest/teams/', import.meta.url));
const PLACEHOLDER_ID = '00000000-0000-0000-0000-000000000000';
const PLACEHOLDER_DOMAIN = 'oncall-bot.example.com';

/** PNG bytes of an SVG at its own size (the icons use shapes only, so no fonts are loaded). */
export function renderIcon(svg: string): Buffer {
  return Buffer.from(new Resvg(svg, { font: { loadSystemFonts: false } }).render().asPng());
}

/** The manifest with the app id and the bot's domain filled in. */
export function fillManifest(text: string, env: { clientId?: string; PUBLIC_URL?: string }): string {
  let out = text;
  if (env.clientId) out = out.replaceAll(PLACEHOLDER_ID, env.clientId);
  if (env.PUBLIC_URL) out = out.replaceAll(PLACEHOLDER_DOMAIN, new URL(env.PUBLIC_URL).host);
  return out;
}

/** A minimal ZIP archive (deflate, no directories) — all a Teams app package needs. */
export function zipFiles(files: readonly { name: string; data: Buffer }[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  // 1980-01-01 00:00, so the same inputs always give the same bytes.
  const dosTime = 0;
  const dosDate = (0 << 9) | (1 << 5) | 1;
  for (const f of files) {
    const name = Buffer.from(f.name, 'utf8');
    const packed = deflateRawSync(f.data, { level: 9 });
    const crc = crc32(f.data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(8, 8); // deflate
    local.writeUInt16LE(dosTime, 10);
    local.writeUInt16LE(dosDate, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(packed.length, 18);
    local.writeUInt32LE(f.data.length, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4); // made by
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(8, 10);
    central.writeUInt16LE(dosTime, 12);
    central.writeUInt16LE(dosDate, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(packed.length, 20);
    central.writeUInt32LE(f.data.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, packed);
    centrals.push(central, name);
    offset += local.length + name.length + packed.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(files.length, 8);
  end.writeUInt16LE(files.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

/** Renders the icons next to their SVGs and returns the package bytes. */
export function buildTeamsPackage(
  dir = MANIFEST_DIR,
  env: { clientId?: string; PUBLIC_URL?: string } = {},
): Buffer {
  const icons = ['color', 'outline'].map((name) => {
    const data = renderIcon(readFileSync(join(dir, `${name}.svg`), 'utf8'));
    writeFileSync(join(dir, `${name}.png`), data);
    return { name: `${name}.png`, data };
  });
  const manifest = fillManifest(readFileSync(join(dir, 'manifest.json'), 'utf8'), env);
  return zipFiles([{ name: 'manifest.json', data: Buffer.from(manifest, 'utf8') }, ...icons]);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const zip = buildTeamsPackage(MANIFEST_DIR, process.env);
  const out = join(MANIFEST_DIR, 'build');
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'oncall-bot.zip'), zip);
  console.log(`manifest:teams: wrote ${join(out, 'oncall-bot.zip')} (${zip.length} bytes)`);
}
