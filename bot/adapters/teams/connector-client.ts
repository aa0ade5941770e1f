import { Activity, type ConversationParameters } from '@microsoft/agents-activity';
import { type CloudAdapter, type ConnectorClient, HttpError } from '@microsoft/agents-hosting';
import type { Clock } from '../../../core/clock.ts';
import { DeliveryError } from '../../../core/errors.ts';
import { parseRetryAfter } from '../../../core/outbox/delivery-target.ts';

/** Bot Connector `ResourceResponse` and `ConversationResourceResponse`. */
export interface ResourceResponse {
  id: string;
  activityId?: string;
}

/** Where a conversation lives: what `continueConversation` needs to reach it. */
export interface ConversationAddress {
  serviceUrl: string;
  conversationId: string;
  channelId?: string;
  bot?: { id: string; name?: string };
}

/** The body of `POST /v3/conversations` (a new thread in a team channel). */
export interface NewThread {
  isGroup: boolean;
  bot: { id: string; name?: string };
  tenantId?: string;
  channelData: Record<string, unknown>;
  activity: Record<string, unknown>;
}

/** HTTP statuses that a later attempt can get past. */
const RETRYABLE = new Set([408, 412, 429, 500, 502, 503, 504]);

/**
 * Turns what the SDK throws into a {@link DeliveryError} that tells the outbox whether to retry;
 * a Retry-After given as an HTTP date is counted from `now`.
 */
function toDeliveryError(what: string, err: unknown, now: number): DeliveryError {
  if (err instanceof DeliveryError) return err;
  if (err instanceof HttpError) {
    const status = err.status;
    const code = status === 413 ? 'TEAMS_MESSAGE_TOO_BIG' : `TEAMS_HTTP_${status}`;
    const body =
      typeof err.response.data === 'string' ? err.response.data : JSON.stringify(err.response.data);
    return new DeliveryError(
      code,
      `${what}: HTTP ${status} ${(body ?? '').slice(0, 200)}`,
      RETRYABLE.has(status),
      parseRetryAfter(err.response.headers?.get('retry-after'), now),
    );
  }
  // fetch failures (refused, reset, DNS) and token acquisition problems: worth another try.
  return new DeliveryError(
    'TEAMS_UNREACHABLE',
    `${what}: ${(err as Error)?.message ?? String(err)}`,
    true,
    undefined,
    {
      cause: err,
    },
  );
}

function checked(what: string, res: Partial<ResourceResponse> | undefined): ResourceResponse {
  if (typeof res?.id !== 'string' || !res.id) {
    throw new DeliveryError('TEAMS_BAD_RESPONSE', `${what}: no id in the response`, true);
  }
  return { id: res.id, ...(res.activityId ? { activityId: res.activityId } : {}) };
}

/**
 * The Bot Connector calls the Teams surface makes (formats.md §7) — create a channel thread, send
 * into a conversation, reply in a thread, update an activity — through the Agents SDK: each call
 * continues the stored conversation with the {@link CloudAdapter} and uses the SDK's
 * ConnectorClient it sets up (a bearer token from the app registration, or none when anonymous).
 */
export class TeamsConnector {
  private readonly clock: Clock;
  private readonly timeoutMs: number;

  /**
   * @param adapter the SDK adapter that also serves `POST /api/messages`
   * @param appId the bot's app id; undefined in anonymous (local/test) mode
   * @param options `clock` dates a Retry-After given as an HTTP date; `timeoutMs` is how long a
   *   call may take before the outbox gives up on it and retries later (the SDK's HTTP client has
   *   no timeout of its own), 15 s by default
   */
  constructor(
    private readonly adapter: CloudAdapter,
    private readonly appId: string | undefined,
    options: { clock: Clock; timeoutMs?: number },
  ) {
    this.clock = options.clock;
    this.timeoutMs = options.timeoutMs ?? 15_000;
  }

  createConversation(address: ConversationAddress, body: NewThread): Promise<ResourceResponse> {
    const params: ConversationParameters & { bot: NewThread['bot'] } = {
      isGroup: body.isGroup,
      // The wire name is `bot`; the SDK's type calls it `agent` and sends it under that name.
      bot: body.bot,
      ...(body.tenantId ? { tenantId: body.tenantId } : {}),
      channelData: body.channelData,
      activity: Activity.fromObject(body.activity),
    };
    return this.call('POST v3/conversations', address, async (c) => c.createConversation(params));
  }

  sendToConversation(
    address: ConversationAddress,
    activity: Record<string, unknown>,
  ): Promise<ResourceResponse> {
    return this.call('POST v3/conversations', address, (c) =>
      c.sendToConversation(address.conversationId, Activity.fromObject(activity)),
    );
  }

  replyToActivity(
    address: ConversationAddress,
    activityId: string,
    activity: Record<string, unknown>,
  ): Promise<ResourceResponse> {
    return this.call('POST v3/conversations', address, (c) =>
      c.replyToActivity(address.conversationId, activityId, Activity.fromObject(activity)),
    );
  }

  updateActivity(
    address: ConversationAddress,
    activityId: string,
    activity: Record<string, unknown>,
  ): Promise<ResourceResponse> {
    return this.call('PUT v3/conversations', address, (c) =>
      c.updateActivity(address.conversationId, activityId, Activity.fromObject(activity)),
    );
  }

  private async call(
    what: string,
    address: ConversationAddress,
    fn: (client: ConnectorClient) => Promise<Partial<ResourceResponse> | undefined>,
  ): Promise<ResourceResponse> {
    // Anonymous: an identity without `aud` makes the SDK send without a token.
    const identity: Parameters<CloudAdapter['continueConversation']>[0] = this.appId ?? {};
    let result: Partial<ResourceResponse> | undefined;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${this.timeoutMs} ms`)), this.timeoutMs);
    });
    try {
      const turn = this.adapter.continueConversation(
        identity,
        {
          serviceUrl: address.serviceUrl,
          channelId: address.channelId ?? 'msteams',
          conversation: { id: address.conversationId },
          ...(address.bot ? { agent: address.bot } : {}),
        },
        async (context) => {
          result = await fn(context.turnState.get<ConnectorClient>(this.adapter.ConnectorClientKey));
        },
      );
      // A turn that loses the race must not end as an unhandled rejection.
      turn.catch(() => undefined);
      await Promise.race([turn, timeout]);
    } catch (err) {
      throw toDeliveryError(what, err, this.clock.now());
    } finally {
      clearTimeout(timer);
    }
    return checked(what, result);
  }
}
