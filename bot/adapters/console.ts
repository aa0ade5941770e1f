import { randomUUID } from 'node:crypto';
import type { Message } from '../../cards/model.ts';
import { summarizeMessage } from '../../cards/model.ts';
import { toAdaptiveCard } from '../../cards/render/adaptive-card.ts';
import type { ConsoleMessageRepo } from '../../store/store.ts';
import type { Clock } from '../clock.ts';
import { DeliveryError } from '../errors.ts';
import type { MessageRef } from '../outbox/outbox-entry.ts';
import type { ChatSurface } from './chat-surface.ts';

/**
 * The local console: a chat platform of its own, kept in the store, that shows exactly the
 * Adaptive Cards Teams would get. Its web page and JSON API live in bot/http/console-routes.ts.
 */
export function createConsoleSurface(
  messages: ConsoleMessageRepo,
  clock: Clock,
  scrub: (s: string) => string,
): ChatSurface {
  const render = (m: Message) => {
    const card = JSON.parse(scrub(JSON.stringify(toAdaptiveCard(m))));
    return { text: scrub(summarizeMessage(m)), card };
  };
  async function insert(channel: string, threadId: string | null, m: Message): Promise<MessageRef> {
    const now = clock.now();
    const id = randomUUID();
    await messages.insert({
      id,
      channel,
      threadId,
      author: 'bot',
      createdAt: now,
      updatedAt: now,
      ...render(m),
    });
    return { surface: 'console', channel, id, extra: {} };
  }
  return {
    id: 'console',
    post: (channel, m) => insert(channel, null, m),
    reply: (thread, m) => insert(thread.channel, thread.extra.threadId ?? thread.id, m),
    async update(ref, m) {
      const found = await messages.update(ref.id, { ...render(m), updatedAt: clock.now() });
      if (!found)
        throw new DeliveryError('MESSAGE_NOT_FOUND', `console message ${ref.id} does not exist`, false);
    },
  };
}
