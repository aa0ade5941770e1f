import type { FastifyInstance } from 'fastify';
import type { Incident } from '../core/alerts/incident.ts';
import type { NewTimelineEvent } from '../core/alerts/timeline.ts';
import type { ChatPlace, ChatUser } from '../core/chat-surface.ts';
import type { Message, MessageAction, Section } from '../core/message.ts';
import type { ReadinessCheck } from '../core/readiness.ts';
import type { StoredAlert } from '../core/store.ts';
import type { ButtonHandler, CommandHandler, HandlerDeps } from './commands/command.ts';

/** What an incident card gains from a module: evidence sections and extra buttons. */
export interface CardEnrichment {
  sections?: Section[];
  actions?: MessageAction[];
}

/**
 * A capability plugged into the composition root (remediation, GPU telemetry, vetted queries …):
 * its commands and buttons, what it adds to incident cards, its routes, readiness checks and
 * periodic work. The root lists every module explicitly (bot/modules.ts); nothing is discovered.
 * What one module offers another (the ask module's answerer, the remediation module's proposal
 * cards, the paging module's digest hold) is a typed property of its own module type, handed
 * over by the root, never found by looking through the modules.
 */
export interface BotModule {
  id: string;
  commands?: readonly CommandHandler[];
  buttons?: readonly ButtonHandler[];
  /**
   * Adds to an incident's card at render time. Runs on every render, so it must be cheap and
   * must not do I/O (slow evidence is computed elsewhere and read here).
   */
  enrichIncidentCard?(incident: Incident, alerts: readonly StoredAlert[], now: number): CardEnrichment;
  /**
   * Adds to an incident's card what the module's own records say at render time (one indexed
   * read): state any replica may have changed a moment ago, which a card must never show stale.
   */
  incidentCardRecords?(incident: Incident, now: number): Promise<CardEnrichment>;
  /**
   * An incident's events the module keeps in its own records (the remediation audit log), for
   * `/timeline` and the postmortem; what it records in the store's timeline is not repeated here.
   */
  timelineOf?(incidentId: number): Promise<NewTimelineEvent[]>;
  registerRoutes?(app: FastifyInstance): void;
  readiness?: readonly ReadinessCheck[];
  /** Periodic work (sweeps, expiries), every few seconds on every replica: must be idempotent. */
  tick?(): Promise<void>;
  close?(): Promise<void>;
}

/** Answers a question in words (a chat message that is not a command); the ask module's. */
export type QuestionAnswerer = (question: string, asker: Asker) => Promise<Message>;

/** Who asked a question, where, with the handler dependencies of that dispatch. */
export interface Asker {
  user: ChatUser;
  place: ChatPlace;
  handlerDeps: HandlerDeps;
}

/** Applies every module's enrichment to a rendered card, in module order. */
export function enrichCard(
  message: Message,
  modules: readonly BotModule[],
  incident: Incident,
  alerts: readonly StoredAlert[],
  now: number,
): Message {
  let sections = message.sections;
  let actions = message.actions;
  for (const m of modules) {
    const extra = m.enrichIncidentCard?.(incident, alerts, now);
    if (!extra) continue;
    if (extra.sections?.length) sections = [...sections, ...extra.sections];
    if (extra.actions?.length) actions = [...actions, ...extra.actions];
  }
  return { ...message, sections, actions };
}
