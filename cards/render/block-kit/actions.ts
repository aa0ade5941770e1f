import { AppError } from '../../../core/errors.ts';
import { action as actionSchema, type MessageAction } from '../../../core/message.ts';
import type { BlockIds } from './room.ts';
import { BLOCK_KIT_LIMITS, type Block, type ButtonElement, type StaticSelectElement } from './schema.ts';
import { fitPlain } from './text.ts';

/**
 * Buttons and selects. The `action_id` carries the verb (`oncall:<verb>:<index>[:<input id>]`,
 * the index keeps ids unique when two buttons share a verb); a button's `value` carries the
 * action's JSON data. Anything that would not fit fails loudly: a silently dropped or cut
 * payload would make a button do something other than what it says.
 */
const PREFIX = 'oncall';
const ACTION_ID = /^oncall:([a-z][a-z0-9-]*):(\d+)(?::([a-zA-Z][\w-]*))?$/;

type ActionData = MessageAction['data'];

export function encodeActionId(verb: string, index: number, inputId?: string): string {
  const id = [PREFIX, verb, String(index), ...(inputId ? [inputId] : [])].join(':');
  if (id.length > BLOCK_KIT_LIMITS.actionId) {
    throw new AppError('BLOCK_KIT_ACTION_ID_TOO_LONG', `action_id for verb "${verb}" is ${id.length} chars`);
  }
  return id;
}

/** Recovers the verb (and input id, for selects) from an `action_id` this renderer made. */
export function decodeActionId(
  actionId: string,
): { verb: string; index: number; inputId?: string } | undefined {
  const m = ACTION_ID.exec(actionId);
  if (!m) return undefined;
  return { verb: m[1]!, index: Number(m[2]), ...(m[3] ? { inputId: m[3] } : {}) };
}

/** The parts of a Slack `block_actions` action that say what was pressed or chosen. */
export interface SlackActionPayload {
  action_id: string;
  value?: string;
  selected_option?: { value: string } | null;
}

/**
 * Turns a pressed button or a chosen option back into the verb and data of the neutral action.
 * For a select, the chosen value is in the data under the input's id.
 */
export function decodeBlockKitAction(
  pressed: SlackActionPayload,
): { verb: string; data: ActionData } | undefined {
  const id = decodeActionId(pressed.action_id);
  if (!id) return undefined;
  const raw = pressed.selected_option?.value ?? pressed.value;
  if (raw === undefined) return { verb: id.verb, data: {} };
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return undefined;
  }
  // The payload comes back from Slack, so it is checked against the model like any input.
  const data = actionSchema.shape.data.safeParse(parsed);
  return data.success ? { verb: id.verb, data: data.data } : undefined;
}

function encodeValue(data: ActionData, max: number, what: string): string {
  const value = JSON.stringify(data);
  if (value.length > max) {
    throw new AppError(
      'BLOCK_KIT_VALUE_TOO_LONG',
      `${what}: JSON data is ${value.length} chars; Slack allows ${max}. Keep only ids in action data.`,
    );
  }
  return value;
}

const STYLE = { default: undefined, positive: 'primary', destructive: 'danger' } as const;

function renderButton(action: MessageAction, index: number): ButtonElement {
  const style = STYLE[action.style];
  return {
    type: 'button',
    action_id: encodeActionId(action.verb, index),
    text: { type: 'plain_text', text: fitPlain(action.title, BLOCK_KIT_LIMITS.buttonText), emoji: true },
    value: encodeValue(action.data, BLOCK_KIT_LIMITS.buttonValue, `button "${action.title}"`),
    ...(style ? { style } : {}),
  };
}

function renderSelect(action: MessageAction, index: number): StaticSelectElement {
  const input = action.input!;
  if (input.choices.length > BLOCK_KIT_LIMITS.selectOptions) {
    throw new AppError(
      'BLOCK_KIT_TOO_MANY_OPTIONS',
      `"${action.title}" has ${input.choices.length} choices; Slack allows ${BLOCK_KIT_LIMITS.selectOptions}`,
    );
  }
  // The default choice goes first so it is the obvious pick; no initial_option, because Slack
  // sends no event when the user picks the option that is already selected.
  const choices = [...input.choices].sort(
    (a, b) => Number(b.value === input.value) - Number(a.value === input.value),
  );
  return {
    type: 'static_select',
    action_id: encodeActionId(action.verb, index, input.id),
    placeholder: { type: 'plain_text', text: fitPlain(`${action.title}: ${input.label}`, 150), emoji: true },
    options: choices.map((c) => ({
      text: {
        type: 'plain_text',
        text: fitPlain(c.title || c.value || '(empty)', BLOCK_KIT_LIMITS.optionText),
        emoji: true,
      },
      value: encodeValue(
        { ...action.data, [input.id]: c.value },
        BLOCK_KIT_LIMITS.optionValue,
        `option "${c.title}"`,
      ),
    })),
  };
}

/** All actions as actions blocks of at most 25 elements each; never drops one. */
export function renderActions(actions: readonly MessageAction[], ids: BlockIds): Block[] {
  const elements = actions.map((a, i) => (a.input ? renderSelect(a, i) : renderButton(a, i)));
  const blocks: Block[] = [];
  for (let i = 0; i < elements.length; i += BLOCK_KIT_LIMITS.actionsElements) {
    blocks.push({
      type: 'actions',
      block_id: ids.next('actions'),
      elements: elements.slice(i, i + BLOCK_KIT_LIMITS.actionsElements),
    });
  }
  return blocks;
}
