import { createHash, randomUUID } from 'node:crypto';
import { toAdaptiveCard } from '../../cards/render/adaptive-card.ts';
import type { ChatSurface } from '../../core/chat-surface.ts';
import type { Clock } from '../../core/clock.ts';
import { DeliveryError } from '../../core/errors.ts';
import type { Message } from '../../core/message.ts';
import { summarizeMessage } from '../../core/message.ts';
import type { MessageRef } from '../../core/outbox/outbox-entry.ts';
import type { ConsoleMessageRepo } from '../../core/store.ts';

/**
 * A message id derived from a delivery key, in UUID form: the same delivery always gets the same
 * id, so a retry finds the message an interrupted attempt already stored.
 */
function keyedId(key: string): string {
  const h = createHash('sha256').update(`console-delivery:${key}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/**
 * The local console: a chat platform of its own, kept in the store, that shows exactly the
 * Adaptive Cards Teams would get. Its web page and JSON API live in bot/http/console-routes.ts.
 * Messages sent with a delivery key get an id derived from it, which is how `findPosted` works.
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
  async function insert(
    channel: string,
    threadId: string | null,
    m: Message,
    key: string | undefined,
  ): Promise<MessageRef> {
    const now = clock.now();
    const id = key ? keyedId(key) : randomUUID();
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
    post: (channel, m, options) => insert(channel, null, m, options?.key),
    reply: (thread, m, options) =>
      insert(thread.channel, thread.extra.threadId ?? thread.id, m, options?.key),
    async findPosted(_where, key) {
      const found = await messages.get(keyedId(key));
      return found && { surface: 'console', channel: found.channel, id: found.id, extra: {} };
    },
    async update(ref, m) {
      const found = await messages.update(ref.id, { ...render(m), updatedAt: clock.now() });
      if (!found)
        throw new DeliveryError('MESSAGE_NOT_FOUND', `console message ${ref.id} does not exist`, false);
    },
  };
}
