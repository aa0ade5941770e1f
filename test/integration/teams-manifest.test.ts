import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { crc32, inflateRawSync } from 'node:zlib';
import { Resvg } from '@resvg/resvg-js';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { z } from 'zod';
import { buildTeamsPackage, fillManifest, MANIFEST_DIR } from '../../scripts/manifest-teams.ts';

const read = (name: string) => readFileSync(join(MANIFEST_DIR, name));
const manifestText = read('manifest.json').toString('utf8');

/** The Teams app manifest rules we depend on (schema v1.2x limits; formats.md §7). */
const guid = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
const teamsManifest = z.object({
  $schema: z
    .string()
    .regex(
      /^https:\/\/developer\.microsoft\.com\/json-schemas\/teams\/v1\.(\d+)\/MicrosoftTeams\.schema\.json$/,
    ),
  manifestVersion: z.string().regex(/^1\.\d+$/),
  version: z.string().regex(/^\d+\.\d+\.\d+$/),
  id: guid,
  developer: z.object({
    name: z.string().max(32),
    websiteUrl: z.url(),
    privacyUrl: z.url(),
    termsOfUseUrl: z.url(),
  }),
  name: z.object({ short: z.string().min(1).max(30), full: z.string().max(100) }),
  description: z.object({ short: z.string().min(1).max(80), full: z.string().min(1).max(4000) }),
  icons: z.object({ color: z.literal('color.png'), outline: z.literal('outline.png') }),
  accentColor: z.string().regex(/^#[0-9A-Fa-f]{6}$/),
  bots: z
    .array(
      z.object({
        botId: guid,
        scopes: z.array(z.enum(['team', 'personal', 'groupChat'])),
        commandLists: z
          .array(
            z.object({
              scopes: z.array(z.enum(['team', 'personal', 'groupChat'])),
              commands: z
                .array(z.object({ title: z.string().max(32), description: z.string().max(128) }))
                .max(10),
            }),
          )
          .max(3),
      }),
    )
    .length(1),
  validDomains: z.array(z.string().regex(/^[a-z0-9.*-]+(:\d+)?$/)).min(1),
});

interface SchemaValidator {
  (data: unknown): boolean;
  errors?: { instancePath: string; message?: string; params?: unknown }[] | null;
}
interface AjvInstance {
  compile(schema: unknown): SchemaValidator;
}

/**
 * Validates a Teams manifest offline with `@microsoft/app-manifest`: its
 * `AppManifestUtils.validateAgainstSchema`, which picks the schema bundled for the manifest's
 * `$schema` URL. Version 1.1.x requires `fs-extra` without declaring it; where that is missing the
 * package cannot load, so this falls back to the same check done by hand — the bundled schema
 * file and the validator the package uses (ajv draft-04 with formats), resolved from the package.
 */
async function validateTeamsManifest(manifest: { $schema: string }): Promise<string[]> {
  try {
    const { AppManifestUtils } = await import('@microsoft/app-manifest');
    return await AppManifestUtils.validateAgainstSchema(
      manifest as unknown as Parameters<typeof AppManifestUtils.validateAgainstSchema>[0],
    );
  } catch (err) {
    if (!String(err).includes("'fs-extra'")) throw err;
  }
  const entry = createRequire(import.meta.url).resolve('@microsoft/app-manifest');
  const fromPackage = createRequire(entry);
  const prefix = 'https://developer.microsoft.com/';
  expect(manifest.$schema.startsWith(`${prefix}json-schemas/teams/`)).toBe(true);
  const schemaFile = join(dirname(entry), manifest.$schema.slice(prefix.length));
  const schema = JSON.parse(readFileSync(schemaFile, 'utf8')) as { $schema?: string };
  expect(schema.$schema).toMatch(/draft-04/);
  const Ajv = fromPackage('ajv-draft-04') as new (options: object) => AjvInstance;
  const addFormats = fromPackage('ajv-formats') as (ajv: AjvInstance, formats: string[]) => void;
  const ajv = new Ajv({ allErrors: true, strictTypes: false });
  addFormats(ajv, ['uri', 'email', 'regex']);
  const validate = ajv.compile(schema);
  if (validate(JSON.parse(JSON.stringify(manifest)))) return [];
  return (validate.errors ?? []).map(
    (e) => `${e.instancePath} ${e.message ?? ''} ${JSON.stringify(e.params)}`,
  );
}

function pngSize(png: Buffer): { width: number; height: number; colorType: number } {
  expect(png.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
  expect(png.subarray(12, 16).toString('ascii')).toBe('IHDR');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20), colorType: png[25]! };
}

/** Reads a ZIP's entries through its central directory, checking each CRC. */
function unzip(zip: Buffer): Map<string, Buffer> {
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  const count = zip.readUInt16LE(end + 10);
  let at = zip.readUInt32LE(end + 16);
  const out = new Map<string, Buffer>();
  for (let i = 0; i < count; i++) {
    expect(zip.readUInt32LE(at)).toBe(0x02014b50);
    const crc = zip.readUInt32LE(at + 16);
    const size = zip.readUInt32LE(at + 20);
    const nameLength = zip.readUInt16LE(at + 28);
    const local = zip.readUInt32LE(at + 42);
    const name = zip.subarray(at + 46, at + 46 + nameLength).toString('utf8');
    const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    const data = inflateRawSync(zip.subarray(start, start + size));
    expect(crc32(data)).toBe(crc);
    out.set(name, data);
    at += 46 + nameLength;
  }
  return out;
}

describe('Teams app manifest', () => {
  const manifest = teamsManifest.parse(JSON.parse(manifestText));

  it('uses a current schema, matching manifestVersion, and installs the bot everywhere', () => {
    const schemaVersion = /v(1\.\d+)\//.exec(manifest.$schema)![1];
    expect(schemaVersion).toBe(manifest.manifestVersion);
    expect(Number(manifest.manifestVersion.split('.')[1])).toBeGreaterThanOrEqual(19);
    expect(new Set(manifest.bots[0]!.scopes)).toEqual(new Set(['team', 'personal', 'groupChat']));
    expect(manifest.bots[0]!.botId).toBe(manifest.id);
  });

  it('passes the official Teams schema (offline, @microsoft/app-manifest), and a broken one does not', async () => {
    expect(await validateTeamsManifest(manifest)).toEqual([]);
    const broken = JSON.parse(manifestText) as { $schema: string; bots: { scopes: string[] }[] };
    broken.bots[0]!.scopes = ['everywhere'];
    const errors = await validateTeamsManifest(broken);
    expect(errors.some((e) => e.startsWith('/bots/0/scopes/0'))).toBe(true);
  });

  it('lists every chat command of the bot', () => {
    const titles = manifest.bots[0]!.commandLists.flatMap((l) => l.commands.map((c) => c.title));
    for (const name of ['gpu', 'kql', 'alerts', 'ack', 'silence', 'ask', 'help'])
      expect(titles).toContain(name);
  });

  it('has a 192×192 opaque colour icon and a 32×32 white-on-transparent outline icon, as rendered from SVG', () => {
    expect(pngSize(read('color.png'))).toMatchObject({ width: 192, height: 192 });
    expect(pngSize(read('outline.png'))).toEqual({ width: 32, height: 32, colorType: 6 });
    for (const name of ['color', 'outline']) {
      const fresh = new Resvg(read(`${name}.svg`).toString('utf8'), {
        font: { loadSystemFonts: false },
      }).render();
      expect(Buffer.from(fresh.asPng()).equals(read(`${name}.png`))).toBe(true);
      const px = fresh.pixels;
      for (let i = 0; i < px.length; i += 4) {
        if (name === 'color') expect(px[i + 3]).toBe(255);
        // resvg's pixels are premultiplied: white at alpha a is (a, a, a, a).
        else expect(Math.min(px[i]!, px[i + 1]!, px[i + 2]!)).toBeGreaterThanOrEqual(px[i + 3]! - 2);
      }
      if (name === 'outline') expect([px[3], px[px.length - 1]]).toEqual([0, 0]);
    }
  });

  it('npm run manifest:teams zips the manifest (ids and domain filled in) with both icons', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'teams-manifest-'));
    try {
      cpSync(MANIFEST_DIR, dir, { recursive: true });
      const appId = '11111111-2222-3333-4444-555555555555';
      const zip = buildTeamsPackage(dir, { clientId: appId, PUBLIC_URL: 'https://bot.contoso.net/' });
      const files = unzip(zip);
      expect([...files.keys()]).toEqual(['manifest.json', 'color.png', 'outline.png']);
      const packed = teamsManifest.parse(JSON.parse(files.get('manifest.json')!.toString('utf8')));
      expect(await validateTeamsManifest(packed)).toEqual([]);
      expect(packed.id).toBe(appId);
      expect(packed.bots[0]!.botId).toBe(appId);
      expect(packed.validDomains).toEqual(['bot.contoso.net']);
      expect(files.get('color.png')!.equals(read('color.png'))).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('fillManifest leaves the template alone without settings', () => {
    expect(fillManifest(manifestText, {})).toBe(manifestText);
  });
});

describe('Slack app manifest', () => {
  const slack = parse(
    readFileSync(new URL('../../manifest/slack/manifest.yaml', import.meta.url), 'utf8'),
  ) as {
    features: { slash_commands: { command: string; url: string }[] };
    oauth_config: { scopes: { bot: string[] } };
    settings: {
      event_subscriptions: { request_url: string; bot_events: string[] };
      interactivity: { is_enabled: boolean; request_url: string };
    };
  };

  it('declares every slash command, all on /slack/events', () => {
    const commands = slack.features.slash_commands.map((c) => c.command);
    expect(commands.sort()).toEqual([
      '/ack',
      '/alerts',
      '/aoai',
      '/ask',
      '/capacity',
      '/cost',
      '/eng',
      '/gpu',
      '/inventory',
      '/kql',
      '/oncall',
      '/own',
      '/postmortem',
      '/resolve',
      '/silence',
      '/silences',
      '/status',
      '/timeline',
      '/unack',
    ]);
    for (const c of slack.features.slash_commands) expect(c.url).toMatch(/\/slack\/events$/);
    expect(slack.settings.interactivity).toMatchObject({ is_enabled: true });
    expect(slack.settings.interactivity.request_url).toMatch(/\/slack\/events$/);
    expect(slack.settings.event_subscriptions.request_url).toMatch(/\/slack\/events$/);
  });

  it('asks for the scopes the bot uses', () => {
    expect(slack.oauth_config.scopes.bot).toEqual(
      expect.arrayContaining(['chat:write', 'commands', 'app_mentions:read', 'files:write', 'im:history']),
    );
    expect(slack.settings.event_subscriptions.bot_events).toEqual(
      expect.arrayContaining(['app_mention', 'message.im']),
    );
  });
});
