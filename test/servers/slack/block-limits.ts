/**
 * Server-side check of Block Kit limits (formats.md §6), written independently of the renderer's
 * zod schemas so that a renderer regression and a schema mistake cannot cancel each other out.
 * Works on untrusted JSON, as Slack does; each problem names a JSON pointer like Slack's
 * `response_metadata.messages`.
 */

export interface BlockViolation {
  pointer: string;
  message: string;
}

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

class Checker {
  readonly violations: BlockViolation[] = [];

  fail(pointer: string, message: string): void {
    this.violations.push({ pointer, message });
  }

  text(
    obj: unknown,
    pointer: string,
    max: number,
    types: readonly string[] = ['plain_text', 'mrkdwn'],
  ): void {
    if (!isObject(obj)) {
      this.fail(pointer, 'must be a text object');
      return;
    }
    if (!types.includes(String(obj.type))) this.fail(`${pointer}/type`, `must be one of ${types.join(', ')}`);
    this.string(obj.text, `${pointer}/text`, max);
  }

  string(value: unknown, pointer: string, max: number, min = 1): void {
    if (typeof value !== 'string') {
      this.fail(pointer, 'must be a string');
      return;
    }
    if (value.length < min) this.fail(pointer, `must be at least ${min} characters`);
    if (value.length > max) this.fail(pointer, `must be less than ${max + 1} characters`);
  }

  array(value: unknown, pointer: string, max: number, min = 1): value is unknown[] {
    if (!Array.isArray(value)) {
      this.fail(pointer, 'must be an array');
      return false;
    }
    if (value.length < min) this.fail(pointer, `must provide at least ${min} items`);
    if (value.length > max) this.fail(pointer, `must provide no more than ${max} items`);
    return true;
  }
}

function checkElement(c: Checker, el: unknown, p: string, actionIds: Set<string>): void {
  if (!isObject(el)) {
    c.fail(p, 'must be an object');
    return;
  }
  c.string(el.action_id, `${p}/action_id`, 255);
  if (typeof el.action_id === 'string') {
    if (actionIds.has(el.action_id)) c.fail(`${p}/action_id`, 'must be unique within the block');
    actionIds.add(el.action_id);
  }
  if (el.type === 'button') {
    c.text(el.text, `${p}/text`, 75, ['plain_text']);
    if (el.value !== undefined) c.string(el.value, `${p}/value`, 2000, 0);
    if (el.url !== undefined) c.string(el.url, `${p}/url`, 3000);
    if (el.style !== undefined && el.style !== 'primary' && el.style !== 'danger') {
      c.fail(`${p}/style`, 'must be primary or danger');
    }
  } else if (el.type === 'static_select') {
    c.text(el.placeholder, `${p}/placeholder`, 150, ['plain_text']);
    if (c.array(el.options, `${p}/options`, 100)) {
      for (const [i, o] of el.options.entries()) {
        const q = `${p}/options/${i}`;
        if (!isObject(o)) {
          c.fail(q, 'must be an object');
          continue;
        }
        c.text(o.text, `${q}/text`, 75, ['plain_text']);
        c.string(o.value, `${q}/value`, 150);
      }
    }
  } else {
    c.fail(`${p}/type`, `unsupported element type ${String(el.type)}`);
  }
}

function checkBlock(c: Checker, b: unknown, p: string): void {
  if (!isObject(b)) {
    c.fail(p, 'must be an object');
    return;
  }
  if (b.block_id !== undefined) c.string(b.block_id, `${p}/block_id`, 255);
  switch (b.type) {
    case 'header':
      c.text(b.text, `${p}/text`, 150, ['plain_text']);
      return;
    case 'section':
      if (b.text === undefined && b.fields === undefined) c.fail(p, 'must provide text or fields');
      if (b.text !== undefined) c.text(b.text, `${p}/text`, 3000);
      if (b.fields !== undefined && c.array(b.fields, `${p}/fields`, 10)) {
        for (const [i, f] of b.fields.entries()) c.text(f, `${p}/fields/${i}`, 2000);
      }
      return;
    case 'context':
      if (c.array(b.elements, `${p}/elements`, 10)) {
        for (const [i, e] of b.elements.entries()) {
          if (isObject(e) && e.type === 'image') {
            c.string(e.image_url, `${p}/elements/${i}/image_url`, 3000);
            c.string(e.alt_text, `${p}/elements/${i}/alt_text`, 2000);
          } else c.text(e, `${p}/elements/${i}`, 3000);
        }
      }
      return;
    case 'image':
      c.string(b.alt_text, `${p}/alt_text`, 2000);
      if ((b.image_url === undefined) === (b.slack_file === undefined)) {
        c.fail(p, 'must provide exactly one of image_url or slack_file');
      }
      if (b.image_url !== undefined) c.string(b.image_url, `${p}/image_url`, 3000);
      if (b.title !== undefined) c.text(b.title, `${p}/title`, 2000, ['plain_text']);
      return;
    case 'actions':
      if (c.array(b.elements, `${p}/elements`, 25)) {
        const ids = new Set<string>();
        for (const [i, e] of b.elements.entries()) checkElement(c, e, `${p}/elements/${i}`, ids);
      }
      return;
    case 'divider':
      return;
    default:
      c.fail(`${p}/type`, `unsupported block type ${String(b.type)}`);
      return;
  }
}

/** Every Block Kit limit the given message `blocks` break; empty when Slack would accept them. */
export function findBlockViolations(blocks: unknown): BlockViolation[] {
  const c = new Checker();
  if (!c.array(blocks, '/blocks', 50, 0)) return c.violations;
  const blockIds = new Set<string>();
  blocks.forEach((b, i) => {
    checkBlock(c, b, `/blocks/${i}`);
    if (isObject(b) && typeof b.block_id === 'string') {
      if (blockIds.has(b.block_id)) c.fail(`/blocks/${i}/block_id`, 'must be unique within the message');
      blockIds.add(b.block_id);
    }
  });
  return c.violations;
}

/** Slack's wording for the `response_metadata.messages` of an `invalid_blocks` error. */
export function describeViolations(violations: readonly BlockViolation[]): string[] {
  return violations.map((v) => `[ERROR] ${v.message} [json-pointer:${v.pointer}]`);
}
