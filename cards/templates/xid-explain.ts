import { describeXid, lookupXid, XID_CATALOG_URL } from '../../core/gpu/xid-catalog.ts';
import { buildMessage, type Message } from '../../core/message.ts';

const IMPLIES: Record<string, string> = {
  application: 'the application, not the GPU',
  'side-effect': 'a side effect: another XID came first',
  'memory-recorded': 'a memory error the GPU recorded and contained',
  hardware: 'the GPU hardware (memory or bus)',
  interconnect: 'NVLink between GPUs',
  firmware: 'the GPU system processor (GSP) firmware',
  'driver-recovery': 'a recovery the driver asks for',
};

/** The answer to "what does XID 79 mean": the catalog entry, or where to look for one it lacks. */
export function xidExplainCard(xid: number): Message {
  const e = lookupXid(xid);
  if (!e) {
    return buildMessage({
      header: { title: `XID ${xid}`, status: 'info', subtitle: 'not in the bot’s XID catalog' },
      facts: [],
      sections: [
        {
          kind: 'text',
          text: `The bot's reviewed catalog does not list XID ${xid}. NVIDIA's catalog gives its immediate and investigatory action.`,
        },
        { kind: 'links', links: [{ title: 'NVIDIA XID catalog', url: XID_CATALOG_URL }] },
      ],
      actions: [],
    });
  }
  return buildMessage({
    header: {
      title: describeXid(xid),
      tier: e.tier,
      subtitle: `XID catalog · alerts about it are ${e.tier}`,
    },
    facts: [
      ['Meaning', e.meaning],
      ['Points at', IMPLIES[e.implies]!],
      ['What to do', e.actionText],
      ['Replace the GPU', e.replaceWhen],
    ],
    sections: [{ kind: 'links', links: [{ title: 'Source', url: e.source }] }],
    actions: [],
  });
}
