import type { ParsedAlert } from '../alerts/alert.ts';

/**
 * The XID an alert reports: its `xid` label (the shipped rules template it from the value), else
 * "XID 48" in its summary (rules that only put `$value` in the text). Never a guess from numbers
 * elsewhere: an alert without one is not read as an XID.
 */
export function xidOfAlert(a: Pick<ParsedAlert, 'labels' | 'summary'>): number | undefined {
  const label = a.labels.xid ?? a.labels.XID;
  const text = label ?? /\bXID\s*(\d{1,3})\b/i.exec(a.summary)?.[1];
  const xid = text === undefined ? Number.NaN : Number(text);
  return Number.isInteger(xid) && xid > 0 ? xid : undefined;
}
