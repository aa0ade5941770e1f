import { z } from 'zod';

/**
 * What an XID says about where the fault lies. `application`: the workload faulted, the GPU is
 * fine; `side-effect`: logged because something else failed first; `memory-recorded`: the GPU
 * noted a memory problem and protected itself; `hardware`: the GPU (or its bus) failed;
 * `interconnect`: NVLink; `firmware`: the GSP firmware or driver stopped answering.
 */
export const xidImplication = z.enum([
  'application',
  'side-effect',
  'memory-recorded',
  'hardware',
  'interconnect',
  'firmware',
  'driver-recovery',
]);
export type XidImplication = z.infer<typeof xidImplication>;

/** The first thing to do, as a verb the cards and remediation suggestions share. */
export const xidAction = z.enum([
  'restart-app',
  'find-first-xid',
  'reset-at-next-drain',
  'watch',
  'reset-gpu',
  'drain-and-reset',
  'reboot-node',
  'decode-nvlink',
  'follow-recovery-action',
  'drain-and-diagnose',
]);
export type XidAction = z.infer<typeof xidAction>;

const httpsUrl = z.url({ protocol: /^https$/ });

/** One reviewed catalog entry; every field is shown to people, so each is plain text. */
export const xidEntry = z.object({
  xid: z.number().int().min(1).max(999),
  /** Short name, as on a card: `Double-bit ECC error`. */
  name: z.string().min(3).max(60),
  /** What the driver reports, in a sentence. */
  meaning: z.string().min(10).max(300),
  implies: xidImplication,
  action: xidAction,
  /** The recommended action in words. */
  actionText: z.string().min(10).max(300),
  /** When this XID escalates to replacing the GPU (or `never on its own`). */
  replaceWhen: z.string().min(5).max(200),
  /**
   * Sightings on one GPU from which `replaceWhen` holds without a person's judgement ("if it
   * happens again after the reset"): the bot then suggests filing the GPU for replacement.
   */
  replaceAfter: z.number().int().min(2).optional(),
  /**
   * The bot's tier for an alert about this XID alone. The shipped Prometheus rules carry the same
   * tiers per XID class (deploy/prometheus/gpu-alerts.rules.yml); a test keeps them in step.
   */
  tier: z.enum(['P1', 'P2', 'P3']),
  /** Where the facts come from; reviewers check the entry against it. */
  source: httpsUrl,
});
export type XidEntry = z.infer<typeof xidEntry>;

const CATALOG = 'https://docs.nvidia.com/deploy/xid-errors/analyzing-xid-catalog.html';
const ROW_REMAP = 'https://docs.nvidia.com/deploy/a100-gpu-mem-error-mgmt/row-remapping.html';

/**
 * Reviewed against NVIDIA's XID catalog for Ampere and newer (resolution buckets "immediate" and
 * "investigatory" action) and the row-remapping guide. Only XIDs a data-centre GPU fleet sees in
 * practice are listed; any other XID is shown as "not in the bot's catalog" with a link to it.
 */
const ENTRIES: z.input<typeof xidEntry>[] = [
  {
    xid: 13,
    name: 'Graphics engine exception',
    meaning:
      'The GPU raised an exception while running a kernel, usually an out-of-range access or a bad instruction in the application.',
    implies: 'application',
    action: 'restart-app',
    actionText: 'Restart the application and check its code or CUDA version; the GPU itself is usually fine.',
    replaceWhen: 'only if it keeps repeating on this one GPU with different workloads',
    tier: 'P3',
    source: CATALOG,
  },
  {
    xid: 31,
    name: 'GPU memory page fault',
    meaning: 'The application accessed GPU memory it does not own (an illegal address).',
    implies: 'application',
    action: 'restart-app',
    actionText: 'Restart the application and look for an illegal memory access in it (compute-sanitizer).',
    replaceWhen: 'only if it keeps repeating on this one GPU with different workloads',
    tier: 'P3',
    source: CATALOG,
  },
  {
    xid: 43,
    name: 'GPU stopped processing',
    meaning: "The driver stopped a channel after the application faulted; it follows the fault's own XID.",
    implies: 'side-effect',
    action: 'find-first-xid',
    actionText: 'Look for the XID that came before it on this GPU and act on that one.',
    replaceWhen: 'never on its own',
    tier: 'P3',
    source: CATALOG,
  },
  {
    xid: 45,
    name: 'Preemptive cleanup',
    meaning:
      'The driver cleaned up channels after an earlier error (or a process killed by the user or the system).',
    implies: 'side-effect',
    action: 'find-first-xid',
    actionText: 'Look for the XID that came before it on this GPU and act on that one.',
    replaceWhen: 'never on its own',
    tier: 'P3',
    source: CATALOG,
  },
  {
    xid: 48,
    name: 'Double-bit ECC error',
    meaning: 'An uncorrectable (double-bit) ECC error in GPU memory; the process using it is stopped.',
    implies: 'hardware',
    action: 'reset-gpu',
    actionText: 'Reset the GPU; when XID 63 or 64 follows, drain the node first, then reset.',
    replaceWhen: 'when a row remap fails (XID 64) or the ECC/SRAM threshold is exceeded',
    tier: 'P1',
    source: CATALOG,
  },
  {
    xid: 63,
    name: 'Row remapping recorded',
    meaning:
      'The GPU marked a memory row for remapping after an ECC error; a GPU reset activates the spare row.',
    implies: 'memory-recorded',
    action: 'reset-at-next-drain',
    actionText: 'No action now; reset the GPU at the next drain so the remap takes effect.',
    replaceWhen: 'when remapping fails (XID 64) or the spare rows run out',
    tier: 'P2',
    source: ROW_REMAP,
  },
  {
    xid: 64,
    name: 'Row remapping failed',
    meaning: 'The GPU could not remap a failing memory row; that memory is no longer protected.',
    implies: 'hardware',
    action: 'drain-and-reset',
    actionText: 'Drain the node and reset the GPU.',
    replaceWhen: 'if it happens again after the reset',
    replaceAfter: 2,
    tier: 'P1',
    source: ROW_REMAP,
  },
  {
    xid: 74,
    name: 'NVLink error',
    meaning: 'An NVLink connection between GPUs reported an error.',
    implies: 'interconnect',
    action: 'decode-nvlink',
    actionText:
      'Decode the NVLink error registers in the XID message (NVLink workflow) before resetting anything.',
    replaceWhen: 'when the decoded error points at the link hardware and repeats after a reset',
    tier: 'P2',
    source: CATALOG,
  },
  {
    xid: 79,
    name: 'GPU fell off the bus',
    meaning: 'The GPU stopped answering on PCIe; the node no longer sees it.',
    implies: 'hardware',
    action: 'reboot-node',
    actionText: 'Drain and reboot the node; a GPU reset is not possible while it is off the bus.',
    replaceWhen: 'if it falls off the bus again after the reboot',
    replaceAfter: 2,
    tier: 'P1',
    source: CATALOG,
  },
  {
    xid: 92,
    name: 'High single-bit ECC rate',
    meaning: 'Correctable ECC errors are occurring at a high rate; they are still being corrected.',
    implies: 'memory-recorded',
    action: 'watch',
    actionText: 'No action now; watch this GPU for XID 48 or 64.',
    replaceWhen: 'when XID 48 or 64 follows',
    tier: 'P3',
    source: CATALOG,
  },
  {
    xid: 94,
    name: 'Contained ECC error',
    meaning:
      'An uncorrectable ECC error hit only the application using that memory; other work is unaffected.',
    implies: 'memory-recorded',
    action: 'restart-app',
    actionText: 'Restart the affected application; reset the GPU at the next drain.',
    replaceWhen: 'if contained errors keep recurring on this GPU',
    tier: 'P2',
    source: CATALOG,
  },
  {
    xid: 95,
    name: 'Uncontained ECC error',
    meaning: 'An uncorrectable ECC error could not be contained; every application on the GPU is affected.',
    implies: 'hardware',
    action: 'drain-and-reset',
    actionText: 'Drain the node and reset the GPU.',
    replaceWhen: 'if it happens again after the reset',
    replaceAfter: 2,
    tier: 'P1',
    source: CATALOG,
  },
  {
    xid: 119,
    name: 'GSP RPC timeout',
    meaning: "The GPU's system processor (GSP firmware) did not answer the driver in time.",
    implies: 'firmware',
    action: 'reset-gpu',
    actionText: 'Reset the GPU; after a recent driver change suspect the GSP firmware of that driver.',
    replaceWhen: 'if it repeats on this GPU with a known-good driver',
    tier: 'P1',
    source: CATALOG,
  },
  {
    xid: 120,
    name: 'GSP error',
    meaning: "The GPU's system processor (GSP firmware) reported an error.",
    implies: 'firmware',
    action: 'reset-gpu',
    actionText: 'Reset the GPU; after a recent driver change suspect the GSP firmware of that driver.',
    replaceWhen: 'if it repeats on this GPU with a known-good driver',
    tier: 'P1',
    source: CATALOG,
  },
  {
    xid: 140,
    name: 'Unrecovered ECC error',
    meaning: 'An ECC error the GPU could not recover from.',
    implies: 'hardware',
    action: 'reset-gpu',
    actionText: 'Reset the GPU.',
    replaceWhen: 'if it happens again after the reset',
    replaceAfter: 2,
    tier: 'P1',
    source: CATALOG,
  },
  {
    xid: 143,
    name: 'GPU initialization failure',
    meaning: 'The GPU failed to initialise.',
    implies: 'hardware',
    action: 'reset-gpu',
    actionText: 'Reset the GPU.',
    replaceWhen: 'if it fails to initialise again after the reset',
    replaceAfter: 2,
    tier: 'P1',
    source: CATALOG,
  },
  {
    xid: 154,
    name: 'Recovery action changed',
    meaning:
      'The driver changed the recovery this GPU needs (for example to "GPU reset required" or "node reboot required").',
    implies: 'driver-recovery',
    action: 'follow-recovery-action',
    actionText:
      'Do what the XID 154 message names (reset the GPU, reboot the node) and look at the XID before it.',
    replaceWhen: 'when the named recovery does not clear it',
    tier: 'P2',
    source: CATALOG,
  },
];

const catalogSchema = z
  .array(xidEntry)
  .superRefine((entries, ctx) => {
    const seen = new Set<number>();
    for (const [i, e] of entries.entries()) {
      if (seen.has(e.xid)) ctx.addIssue({ code: 'custom', path: [i, 'xid'], message: `XID ${e.xid} twice` });
      seen.add(e.xid);
    }
  })
  .transform((entries) => new Map(entries.map((e) => [e.xid, e] as const)));

/** The reviewed XID knowledge, validated once when the module loads (a bad entry fails start-up). */
export const XID_CATALOG: ReadonlyMap<number, XidEntry> = catalogSchema.parse(ENTRIES);

/** NVIDIA's catalog page, linked for XIDs the bot does not know. */
export const XID_CATALOG_URL = CATALOG;

/** The entry of an XID, or undefined for one the bot's catalog does not list. */
export function lookupXid(xid: number): XidEntry | undefined {
  return XID_CATALOG.get(xid);
}

/** XIDs whose entry says the GPU itself (memory, bus, firmware) failed, not the application. */
export function isHardwareXid(xid: number): boolean {
  const e = XID_CATALOG.get(xid);
  return e !== undefined && (e.implies === 'hardware' || e.implies === 'firmware');
}

/** `XID 48 (Double-bit ECC error)`, or `XID 200` for one not in the catalog. */
export function describeXid(xid: number): string {
  const e = XID_CATALOG.get(xid);
  return e ? `XID ${xid} (${e.name})` : `XID ${xid}`;
}
