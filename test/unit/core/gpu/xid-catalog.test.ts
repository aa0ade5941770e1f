import { describe, expect, it } from 'vitest';
import {
  describeXid,
  isHardwareXid,
  lookupXid,
  XID_CATALOG,
  xidEntry,
} from '../../../../core/gpu/xid-catalog.ts';

describe('XID catalog', () => {
  it('holds the XIDs a GPU fleet sees, each with an action, a replacement rule and an https source', () => {
    for (const xid of [13, 31, 43, 45, 48, 63, 64, 74, 79, 92, 94, 95, 119, 120, 140, 143, 154]) {
      const e = lookupXid(xid);
      expect(e, `XID ${xid}`).toBeDefined();
      expect(e!.source).toMatch(/^https:\/\/docs\.nvidia\.com\//);
    }
    expect(XID_CATALOG.size).toBeGreaterThanOrEqual(17);
  });

  it('says what NVIDIA recommends for the XIDs the issue names', () => {
    expect(lookupXid(79)!.action).toBe('reboot-node');
    expect(lookupXid(79)!.replaceWhen).toMatch(/again/);
    expect(lookupXid(63)!.action).toBe('reset-at-next-drain');
    expect(lookupXid(64)!.replaceWhen).toMatch(/again after the reset/);
    expect(lookupXid(94)!.action).toBe('restart-app');
    expect(lookupXid(95)!.action).toBe('drain-and-reset');
    expect(lookupXid(119)!.action).toBe('reset-gpu');
    expect(lookupXid(13)!.implies).toBe('application');
    expect(lookupXid(45)!.implies).toBe('side-effect');
  });

  it('tells hardware from application XIDs', () => {
    expect(isHardwareXid(48)).toBe(true);
    expect(isHardwareXid(120)).toBe(true);
    expect(isHardwareXid(13)).toBe(false);
    expect(isHardwareXid(500)).toBe(false);
    expect(describeXid(48)).toBe('XID 48 (Double-bit ECC error)');
    expect(describeXid(500)).toBe('XID 500');
  });

  it('rejects an entry without an https source', () => {
    const e = { ...lookupXid(48)! };
    expect(xidEntry.safeParse({ ...e, source: 'http://docs.nvidia.com/x' }).success).toBe(false);
    expect(xidEntry.safeParse(e).success).toBe(true);
  });
});
