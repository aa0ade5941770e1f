import type { Clock } from '../core/clock.ts';
import type { ChannelTarget } from '../core/outbox/enqueue.ts';
import type { CommandHandler, HandlerDeps } from '../handlers/commands/command.ts';
import type { BotModule } from '../handlers/module.ts';
import type { BotStore } from '../store/bot-store.ts';
import type { Backends } from './backends.ts';
import type { Config } from './config.ts';
import type { LocalPlatform } from './local-mode.ts';
import type { Logger } from './logger.ts';
import type { BotMetrics } from './metrics.ts';
import type { Tracing } from './tracing.ts';

/** What the composition root gives every module; a module names the parts it needs by type. */
export interface ModuleParts {
  /** Every module's repositories on one database handle (closed by the root, not by modules). */
  store: BotStore;
  clock: Clock;
  logger: Logger;
  /** Where incident cards go: the chat platforms' on-call channels (Teams adds its own once known). */
  targets: readonly ChannelTarget[];
  handlerDeps: HandlerDeps;
  /** Wakes the delivery loop after a module queued messages (see bot/outbox/queued-signal.ts). */
  queued: () => void;
  /** The simulated platform, in local mode. */
  platform: LocalPlatform | undefined;
  /** What several modules share: telemetry backends, chart workers, the rate limiter … */
  backends: Backends;
  /** The bot's own metrics (query latency, LLM tokens, remediation events). */
  metrics: BotMetrics | undefined;
  /** Spans of the later stages of an incident's trace (evidence). */
  tracing: Tracing | undefined;
}

/**
 * What a module hands to the modules after it, by name and type. Every key is present in what
 * later modules see, undefined while the module is off, so a module that needs it checks.
 */
export type Provided<P> = { [K in keyof P]: P[K] | undefined };

/** A module set up: the {@link BotModule} the root wires, and what it provides to the modules after it. */
export interface SetUpModule<Provides> {
  module: BotModule;
  provides: Provides;
}

/**
 * One entry of the composition root's module list. `Needs` is what the module takes from the root
 * and from the modules before it; the list's type checks that they are there, so a module placed
 * before the one it needs does not compile. The members are function properties (not methods) on
 * purpose: TypeScript then checks `Needs` contravariantly.
 */
export interface ModulePlugin<Needs, Settings, Provides extends object = Record<never, never>> {
  /** Names the module (in the list, which refuses an id twice). */
  readonly id: string;
  /**
   * The module's settings from the config (and what it needs); undefined keeps it off. No I/O:
   * whether a module is on can be read without starting it.
   */
  readonly fromConfig: (config: Config, needs: Needs) => Settings | undefined;
  /** Builds the module: opens its tables, starts its work, and returns what it provides. */
  readonly setUp: (
    settings: Settings,
    needs: Needs,
  ) => SetUpModule<Provides> | Promise<SetUpModule<Provides>>;
}

/** What the modules set up so far add up to, in list order. */
export interface CommandsSoFar {
  /** Their commands: what `/help` and the manifests are built from. */
  commands: readonly CommandHandler[];
  /** The modules themselves: what a surface rendering incident cards as chat does (MCP) reads. */
  modulesSoFar: readonly BotModule[];
}

/** The modules that are on, in list order, and everything the root and they provided. */
export interface SetUpModules<Have> {
  modules: BotModule[];
  provided: Have;
}

// The list holds plugins of different types; `add` checked each one against what came before.
// biome-ignore lint/suspicious/noExplicitAny: erased after the type check in `add`
type AnyPlugin = ModulePlugin<any, any, object>;

/**
 * The explicit, ordered list of the bot's modules. Order is the order of card additions, of ticks
 * and of commands in `/help`; modules are closed in reverse, so one closes before what it needs.
 * Nothing is discovered or looked up: `add` is the only way in, and what a module needs from
 * another reaches it by the property its type names.
 */
export class ModuleList<Base, Have> {
  private constructor(private readonly plugins: readonly AnyPlugin[]) {}

  /** An empty list whose modules are given `Base` by the composition root. */
  static of<Base extends object>(): ModuleList<Base, Base & CommandsSoFar> {
    return new ModuleList([]);
  }

  /** The list with `plugin` after the others; it compiles only if what it needs is there by now. */
  add<Settings, Provides extends object>(
    plugin: ModulePlugin<Have, Settings, Provides>,
  ): ModuleList<Base, Have & Provided<Provides>> {
    if (this.plugins.some((p) => p.id === plugin.id))
      throw new Error(`module list: "${plugin.id}" is listed twice`);
    return new ModuleList([...this.plugins, plugin]);
  }

  /** The modules' ids in list order. */
  get ids(): string[] {
    return this.plugins.map((p) => p.id);
  }

  /**
   * Sets up every module that is on, in order, each given what the root and the modules before it
   * provided. When one fails to set up, the ones before it are closed and the start fails.
   */
  async setUp(config: Config, base: Base): Promise<SetUpModules<Have>> {
    const modules: BotModule[] = [];
    let have: Record<string, unknown> & CommandsSoFar = { ...base, commands: [], modulesSoFar: [] };
    for (const plugin of this.plugins) {
      try {
        const settings = plugin.fromConfig(config, have);
        if (settings === undefined) continue;
        const { module, provides } = await plugin.setUp(settings, have);
        modules.push(module);
        have = {
          ...have,
          ...provides,
          commands: [...have.commands, ...(module.commands ?? [])],
          modulesSoFar: [...modules],
        };
      } catch (err) {
        // The modules already set up hold tables and timers: let go of them, then fail the start.
        await closeModules(modules).catch(() => undefined);
        throw err;
      }
    }
    return { modules, provided: have as Have };
  }
}

/** Closes modules in reverse list order: a module closes before the ones it was given things by. */
export async function closeModules(modules: readonly BotModule[]): Promise<void> {
  for (const m of [...modules].reverse()) await m.close?.();
}
