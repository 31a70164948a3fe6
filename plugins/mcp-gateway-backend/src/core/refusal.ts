import { Stage } from './stage';

/**
 * A machine-readable reason for a refusal, for audit queries and dashboards:
 * e.g. `agent-disabled`, `tool-not-allowed`, `permission-denied`,
 * `field-redacted`.
 */
export type RefusalCode = string;

/**
 * A deliberate "no" from a corridor stage. Its message goes to the caller
 * as it is, so it says which rule refused and never reveals hidden data.
 */
export class GatewayRefusal extends Error {
  readonly name = 'GatewayRefusal';

  constructor(
    readonly stage: Stage,
    readonly code: RefusalCode,
    message: string,
    /** When trying again may succeed (a rate limit): seconds from now. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }
}
