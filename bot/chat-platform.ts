import type { ChatSurface } from '../core/chat-surface.ts';
import type { Clock } from '../core/clock.ts';
import type { Message } from '../core/message.ts';
import type { ChannelTarget } from '../core/outbox/enqueue.ts';
import type { SurfaceId } from '../core/outbox/outbox-entry.ts';
import type { ReadinessCheck } from '../core/readiness.ts';
import type { Store } from '../core/store.ts';
import type { Config } from './config.ts';
import type { BotServer } from './http/server.ts';
import type { Dispatcher } from './inbound/dispatcher.ts';
import type { Logger } from './logger.ts';

/** What the composition root gives every chat platform when it sets it up. */
export interface PlatformParts {
  store: Store;
  clock: Clock;
  logger: Logger;
  /** Removes secrets from everything posted. */
  scrub: (s: string) => string;
  /** The on-call channels incident cards go to, so far (Teams adds its own once it learns it). */
  targets: readonly ChannelTarget[];
  /** Incident cards go to `target` from now on (a platform's on-call channel). */
  addTarget(target: ChannelTarget): void;
}

/** The bot's inbound side, which exists once the modules do: what a platform's routes hand events to. */
export interface PlatformInbound {
  app: BotServer;
  dispatcher: Dispatcher;
  /** An incident's card as of now (Teams answers a button press with it inline). */
  renderIncident(incidentId: number): Promise<Message | undefined>;
}

/** A platform connected to the bot's inbound side. */
export interface ConnectedPlatform {
  /** Why the platform is not reachable, for /readyz. */
  readiness: readonly ReadinessCheck[];
  /** After the server listens: connects in the background (Slack's Socket Mode); never throws. */
  start?(): void;
  /** Periodic work with the modules' ticks (Teams learns an on-call channel another replica recorded). */
  tick?(): Promise<void>;
  stop?(): Promise<void>;
}

/**
 * A chat platform set up in two steps, because its two sides exist at different times: the
 * outbound surface and on-call channel before the modules (which queue cards for them), the
 * inbound routes after the dispatcher (which hands events to the modules).
 */
export interface ChatPlatform {
  /** Where the outbox delivers; undefined when the platform stays off (its readiness says why). */
  surface: ChatSurface | undefined;
  connect(inbound: PlatformInbound): ConnectedPlatform | Promise<ConnectedPlatform>;
}

/** One entry of the composition root's list of chat platforms (bot/platforms.ts). */
export interface PlatformPlugin<Settings> {
  /** The surface id its messages carry in the outbox. */
  readonly id: SurfaceId;
  /** The platform's settings from the config; undefined keeps it off. No I/O. */
  readonly fromConfig: (config: Config) => Settings | undefined;
  readonly setUp: (settings: Settings, parts: PlatformParts) => ChatPlatform | Promise<ChatPlatform>;
}

/**
 * Erases a plugin's settings type so platforms of different settings fit in one list: each
 * plugin's `setUp` only ever receives what its own `fromConfig` returned.
 */
export function definePlatform<S>(plugin: PlatformPlugin<S>): PlatformPlugin<unknown> {
  return plugin as PlatformPlugin<unknown>;
}

/** A platform that stays off and says why in /readyz. */
export function offPlatform(readiness: readonly ReadinessCheck[]): ChatPlatform {
  return { surface: undefined, connect: () => ({ readiness }) };
}

/** A readiness check that always fails with `reason`. */
export function failingCheck(name: string, reason: string): ReadinessCheck {
  return {
    name,
    check: async () => {
      throw new Error(reason);
    },
  };
}
