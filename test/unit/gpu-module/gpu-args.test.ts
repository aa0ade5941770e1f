import { describe, expect, it } from 'vitest';
import { parseCommandArgs } from '../../../handlers/commands/command.ts';
import { gpuArgs } from '../../../handlers/gpu/gpu-command.ts';

const parse = (text: string) => gpuArgs.safeParse(parseCommandArgs(text));

describe('/gpu arguments', () => {
  it('reads a node, a GPU and a range', () => {
    expect(parse('node-7 gpu=3 range=6h').data).toEqual({
      coverage: false,
      node: 'node-7',
      gpu: 3,
      rangeMs: 6 * 3_600_000,
    });
    expect(parse('NODE-7').data).toEqual({
      coverage: false,
      node: 'node-7',
      gpu: undefined,
      rangeMs: 3_600_000,
    });
    expect(parse('').data).toEqual({ coverage: false, node: undefined, gpu: undefined, rangeMs: 3_600_000 });
    // `/gpu coverage` is the blind-spot view, not a node named "coverage".
    expect(parse('coverage range=2h').data).toEqual({
      coverage: true,
      node: undefined,
      gpu: undefined,
      rangeMs: 2 * 3_600_000,
    });
  });

  it('says which argument is wrong', () => {
    const issue = (text: string) => parse(text).error?.issues[0];
    expect(issue('node-7 range=soon')?.message).toContain('write it like 30m, 1h or 6h');
    expect(issue('node-7 range=30d')?.message).toContain('range must be between');
    expect(issue('node-7 gpu=99')?.path).toEqual(['named', 'gpu']);
    expect(issue('node-7 node-8')?.message).toContain('name one node');
    expect(issue('node-7 colour=red')?.code).toBe('unrecognized_keys');
    expect(issue('node;rm')?.message).toContain('a node name is');
  });
});
