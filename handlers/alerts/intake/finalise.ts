import { type ParsedAlert, parsedAlert } from '../../../core/alerts/alert.ts';
import { parsePayload } from './intake-error.ts';
import { boundIdentity, truncate } from './limits.ts';

/** Bounds of {@link parsedAlert}; text is cut to fit, identities are hashed to fit. */
const MAX = { fingerprint: 512, groupKey: 2048, rule: 512, severity: 64, summary: 2048, description: 8192 };

/**
 * Brings a normalised alert within the limits of {@link parsedAlert} and validates it, so every
 * parser returns only alerts that the rest of the spine can trust. `at` locates the alert in the
 * payload for the (never expected) case that validation still fails.
 */
export function finaliseAlert(draft: ParsedAlert, at: readonly PropertyKey[]): ParsedAlert {
  const rule = draft.rule.trim() === '' ? 'unnamed alert' : draft.rule;
  return parsePayload(
    parsedAlert,
    {
      ...draft,
      fingerprint: boundIdentity(draft.fingerprint, MAX.fingerprint),
      groupKey: boundIdentity(draft.groupKey, MAX.groupKey),
      rule: truncate(rule, MAX.rule),
      sourceSeverity: draft.sourceSeverity === null ? null : truncate(draft.sourceSeverity, MAX.severity),
      summary: truncate(draft.summary, MAX.summary),
      description: draft.description === null ? null : truncate(draft.description, MAX.description),
    },
    at,
  );
}
