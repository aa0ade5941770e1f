import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { z } from 'zod';
import { type Config, configSchema, loadConfig } from '../../../bot/config.ts';
import { ConfigError } from '../../../core/config-error.ts';

function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
}

describe('loadConfig', () => {
  it('runs in local mode with defaults and a generated token when nothing is set', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({
      mode: 'local',
      port: 3978,
      host: '127.0.0.1',
      sim: true,
      alertWebhookTokenGenerated: true,
    });
    expect(c.alertWebhookToken.length).toBeGreaterThanOrEqual(32);
    expect(c.dataDir).toMatch(/\/data$/);
    expect(c.secrets).toContain(c.alertWebhookToken);
  });

  it('switches to production mode when platform credentials are set, and then requires a webhook token', () => {
    const p = problems({ SLACK_BOT_TOKEN: 'xoxb-test-0123' });
    expect(p).toHaveLength(1);
    expect(p[0]).toMatch(/^ALERT_WEBHOOK_TOKEN: required in production mode.*openssl rand -hex 32/);
    const c = loadConfig({ SLACK_BOT_TOKEN: 'xoxb-test-0123', ALERT_WEBHOOK_TOKEN: 'a'.repeat(32) });
    expect(c).toMatchObject({ mode: 'production', host: '0.0.0.0', sim: false });
  });

  it('reports every problem at once, each with how to fix it', () => {
    const p = problems({ PORT: 'eighty', ALERT_WEBHOOK_TOKEN: 'short', SIM: 'maybe' });
    expect(p.find((l) => l.startsWith('PORT:'))).toMatch(/Use a TCP port number/);
    expect(p.find((l) => l.startsWith('ALERT_WEBHOOK_TOKEN:'))).toMatch(/at least 16 characters.*openssl/);
    expect(p.find((l) => l.startsWith('SIM:'))).toMatch(/SIM=on or SIM=off/);
  });

  it('honours SIM=off and refuses SIM in production', () => {
    expect(loadConfig({ SIM: 'off' }).sim).toBe(false);
    expect(problems({ BOT_MODE: 'production', ALERT_WEBHOOK_TOKEN: 'a'.repeat(32), SIM: 'on' })[0]).toMatch(
      /^SIM:/,
    );
  });

  it('refuses the unauthenticated console in production unless the server listens on loopback only', () => {
    const prod = { BOT_MODE: 'production', ALERT_WEBHOOK_TOKEN: 'a'.repeat(32), CONSOLE: 'on' };
    const unset = problems(prod);
    expect(unset).toHaveLength(1);
    expect(unset[0]).toMatch(
      /^CONSOLE: .*no authentication.*HOST is unset \(listening on 0\.0\.0\.0\).*Set HOST=127\.0\.0\.1/,
    );
    for (const host of ['0.0.0.0', '::', '10.0.0.5', 'oncall.example.com', '127.0.0.1.nip.io']) {
      expect(problems({ ...prod, HOST: host }), host).toEqual([
        expect.stringMatching(/^CONSOLE: .*HOST is "/),
      ]);
    }
    for (const host of ['127.0.0.1', '127.1.2.3', 'localhost', '::1', '[::1]']) {
      expect(loadConfig({ ...prod, HOST: host }), host).toMatchObject({ console: true, host });
    }
    // Without CONSOLE=on production keeps the console off and may listen anywhere; local mode is loopback.
    expect(loadConfig({ ...prod, CONSOLE: 'off' })).toMatchObject({ console: false, host: '0.0.0.0' });
    expect(loadConfig({ BOT_MODE: 'local', HOST: '0.0.0.0' })).toMatchObject({ console: true });
  });

  it('loads a policy file and names the bad path inside it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'policy-'));
    const good = join(dir, 'good.yaml');
    writeFileSync(good, 'timeZone: Europe/Amsterdam\nflap:\n  window: 30m\n');
    expect(loadConfig({ POLICY_FILE: good }).policy).toMatchObject({
      timeZone: 'Europe/Amsterdam',
      flap: { window: 1_800_000 },
    });
    const bad = join(dir, 'bad.yaml');
    writeFileSync(
      bad,
      'timeZone: Mars/Olympus\ntiers:\n  rules:\n    - { name: x, match: ["node"], tier: P9 }\n',
    );
    const p = problems({ POLICY_FILE: bad });
    expect(p.some((l) => l.includes('timeZone') && l.includes('IANA'))).toBe(true);
    expect(p.some((l) => l.includes('tiers.rules.0.match.0') && l.includes('is not a matcher'))).toBe(true);
    expect(p.some((l) => l.includes('tiers.rules.0.tier'))).toBe(true);
    expect(problems({ POLICY_FILE: join(dir, 'missing.yaml') })[0]).toMatch(/^POLICY_FILE: cannot read/);
  });

  it('reports problems in the paging and remediation sections at start-up, with the others', () => {
    const dir = mkdtempSync(join(tmpdir(), 'policy-'));
    const file = join(dir, 'policy.yaml');
    writeFileSync(file, 'paging:\n  escalateAfter: soon\nremediation:\n  mode: yolo\n');
    const p = problems({ POLICY_FILE: file });
    expect(p.some((l) => l.startsWith(`${file}: paging: escalateAfter`))).toBe(true);
    expect(p.some((l) => l.startsWith(`${file}: remediation: mode`))).toBe(true);
  });

  it('refuses remediation mode auto with no action marked unattended (it would do nothing), and an oncall rotation that says nothing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'policy-'));
    const file = join(dir, 'policy.yaml');
    writeFileSync(
      file,
      'remediation:\n  mode: auto\noncall:\n  rotations:\n    - { name: x, members: [], start: soon }\n',
    );
    const p = problems({ POLICY_FILE: file });
    expect(p).toContainEqual(
      expect.stringMatching(
        /: remediation: mode: auto runs only the actions marked unattended: true.*or use suggest/,
      ),
    );
    expect(p.some((l) => l.startsWith(`${file}: oncall: rotations.0.members`))).toBe(true);
    expect(p.some((l) => l.startsWith(`${file}: oncall: rotations.0.start`))).toBe(true);
  });

  it('reads GPU thresholds from the policy and rejects inverted ones', () => {
    const dir = mkdtempSync(join(tmpdir(), 'policy-'));
    const file = join(dir, 'gpu.yaml');
    writeFileSync(file, 'gpu:\n  temperature: { warningAboveC: 75, criticalAboveC: 80 }\n');
    expect(loadConfig({ POLICY_FILE: file }).policy.gpu.temperature).toEqual({
      warningAboveC: 75,
      criticalAboveC: 80,
    });
    writeFileSync(file, 'gpu:\n  temperature: { warningAboveC: 90, criticalAboveC: 80 }\n');
    expect(problems({ POLICY_FILE: file }).join('\n')).toMatch(
      /warningAboveC must not exceed criticalAboveC/,
    );
  });

  it('is the output of its schema: Config is not a second, hand-written shape', () => {
    expectTypeOf<Config>().toEqualTypeOf<z.output<typeof configSchema>>();
    const env = { ALERT_WEBHOOK_TOKEN: 'a'.repeat(32), CHART_URL_SECRET: 'b'.repeat(32), PORT: '4000' };
    expect(configSchema.parse(env)).toEqual(loadConfig(env));
    const failed = configSchema.safeParse({ BOT_MODE: 'production', PORT: 'eighty' });
    expect(failed.success).toBe(false);
    expect(failed.error?.issues.map((i) => i.message)).toEqual(
      problems({ BOT_MODE: 'production', PORT: 'eighty' }),
    );
  });

  it('parses the remediation and paging sections once, typed, and names a bad field in them', () => {
    const dir = mkdtempSync(join(tmpdir(), 'policy-'));
    const file = join(dir, 'sections.yaml');
    writeFileSync(file, 'remediation:\n  approvalTtl: 2m\npaging:\n  escalateAfter: 10m\n');
    const { policy } = loadConfig({ POLICY_FILE: file });
    // Durations come out as milliseconds and defaults are filled in: the modules get these as they are.
    expect(policy.remediation).toMatchObject({ approvalTtl: 120_000, mode: 'suggest' });
    expect(policy.paging).toMatchObject({ escalateAfter: 600_000, installId: 'oncall-bot' });
    expect(loadConfig({}).policy).not.toHaveProperty('remediation');
    writeFileSync(
      file,
      'remediation:\n  mode: yolo\npaging:\n  digest: { at: 9am }\nflap: { window: soon }\n',
    );
    const p = problems({ POLICY_FILE: file });
    expect(p.some((l) => l.startsWith(`${file}: remediation: mode:`))).toBe(true);
    expect(p.some((l) => l.startsWith(`${file}: paging: digest.at:`))).toBe(true);
    expect(p.some((l) => l.startsWith(`${file}: flap.window:`))).toBe(true);
  });
});
