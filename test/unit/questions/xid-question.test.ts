import { describe, expect, it } from 'vitest';
import { xidExplainCard } from '../../../cards/templates/xid-explain.ts';
import { plainText } from '../../../core/message.ts';
import { xidAskedAbout } from '../../../handlers/questions/xid-question.ts';

describe('questions about what an XID means', () => {
  it('recognises the ways people ask', () => {
    expect(xidAskedAbout('what does xid 79 mean')).toBe(79);
    expect(xidAskedAbout('What does XID 79 mean?')).toBe(79);
    expect(xidAskedAbout('xid 48?')).toBe(48);
    expect(xidAskedAbout('XID48')).toBe(48);
    expect(xidAskedAbout('how do I handle xid error 119')).toBe(119);
    expect(xidAskedAbout('is xid 13 serious')).toBe(13);
  });

  it('leaves questions about a machine, several XIDs or something else to the router', () => {
    expect(xidAskedAbout('xid 79 on node-3?')).toBeUndefined();
    expect(xidAskedAbout('any xid errors on gpu 3')).toBeUndefined();
    expect(xidAskedAbout('xid 48 or xid 63, which is worse')).toBeUndefined();
    expect(xidAskedAbout('what is the 429 rate on gpt-4o today?')).toBeUndefined();
    expect(xidAskedAbout('show xid 79 count per node last week please')).toBeUndefined();
  });

  it('answers from the catalog, and points to NVIDIA for an XID it does not list', () => {
    const known = xidExplainCard(64);
    expect(known.header?.title).toBe('XID 64 (Row remapping failed)');
    expect(known.header?.tier).toBe('P1');
    expect(known.facts.map(([k, v]) => [k, plainText(v)])).toContainEqual([
      'What to do',
      'Drain the node and reset the GPU.',
    ]);
    const unknown = xidExplainCard(250);
    expect(unknown.header?.subtitle).toBe('not in the bot’s XID catalog');
    expect(JSON.stringify(unknown)).toContain(
      'https://docs.nvidia.com/deploy/xid-errors/analyzing-xid-catalog.html',
    );
  });
});
