import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { z } from 'zod';
import { ManualClock } from '../../core/clock.ts';
import { startTestBot, type TestBot } from '../helpers/test-bot.ts';

const slackManifest = z.object({
  features: z.object({
    slash_commands: z.array(
      z.object({ command: z.string(), description: z.string(), usage_hint: z.string().optional() }),
    ),
  }),
});
const teamsManifest = z.object({
  bots: z.array(
    z.object({
      commandLists: z.array(
        z.object({ commands: z.array(z.object({ title: z.string(), description: z.string() })) }),
      ),
    }),
  ),
});

const read = (path: string) => readFileSync(new URL(`../../manifest/${path}`, import.meta.url), 'utf8');

/** The Slack and Teams manifests declare only commands the bot answers, with the handlers' usage. */
describe('chat platform manifests match the command registry', () => {
  let bot: TestBot;
  let usage: Map<string, string>;
  beforeAll(async () => {
    // Local mode turns every module on (remediation, GPU, KQL, questions): the whole registry.
    bot = await startTestBot({}, new ManualClock(Date.now()), { localPlatform: true });
    usage = new Map(bot.commands.map((c) => [c.id, c.usage]));
  });
  afterAll(async () => {
    await bot?.stop();
  });

  it('Slack: every slash command has a handler, and its usage hint is the handler usage', () => {
    const declared = slackManifest.parse(parse(read('slack/manifest.yaml'))).features.slash_commands;
    expect(declared.length).toBeGreaterThan(0);
    for (const c of declared) {
      const name = c.command.replace(/^\//, '');
      expect({ name, handled: usage.has(name) }).toEqual({ name, handled: true });
      const args = usage.get(name)!.replace(`/${name}`, '').trim();
      expect({ name, hint: c.usage_hint ?? '' }).toEqual({ name, hint: args });
    }
  });

  it('Teams: every command has a handler, and its description starts with the handler usage', () => {
    const lists = teamsManifest.parse(JSON.parse(read('teams/manifest.json'))).bots[0]!.commandLists;
    for (const c of lists.flatMap((l) => l.commands)) {
      expect({ name: c.title, handled: usage.has(c.title) }).toEqual({ name: c.title, handled: true });
      expect(c.description.startsWith(`${usage.get(c.title)!.replace(/^\//, '')} – `)).toBe(true);
    }
  });
});
