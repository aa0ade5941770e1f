/** Who holds an escalation level over a stretch of time (null ends: open-ended, as PagerDuty says). */
export interface OncallShift {
  who: string;
  since: number | null;
  until: number | null;
}

/** One escalation level: who is on call now and who comes next. */
export interface OncallLevel {
  level: number;
  /** The rotation's or schedule's name. */
  name: string;
  now: OncallShift | undefined;
  next: OncallShift | undefined;
}

/** Where on-call comes from: PagerDuty's REST API when configured, else the policy's rotations. */
export interface OncallSource {
  readonly origin: 'pagerduty' | 'policy';
  levels(now: number): Promise<OncallLevel[]>;
}
