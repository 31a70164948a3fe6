import { Caller } from './caller';
import { Operation, OperationTargets } from './operation';
import { GatewayRefusal } from './refusal';
import { Stage } from './stage';

/**
 * A stage that may refuse operations (control, policy, permission,
 * limits). The same gates decide what a listing shows and what a call may
 * do, so a listing never shows what a call would refuse.
 */
export interface Gate {
  readonly stage: Stage;
  /**
   * Where the decision of `decide` applies: `both` filters listings and
   * refuses calls; `call` only refuses calls (a rate limit, which listing
   * must not spend).
   */
  readonly appliesTo: 'both' | 'call';
  /**
   * Before the input is validated: one decision per operation, a refusal
   * or undefined to let it pass. Batched, so a listing asks once.
   */
  decide?(
    caller: Caller,
    operations: readonly Operation[],
  ): Promise<Array<GatewayRefusal | undefined>>;
  /**
   * After the input is validated: may refuse on the arguments (e.g. a
   * template or location allowlist). Only calls pass here.
   */
  decideInput?(call: GatedCall): Promise<GatewayRefusal | undefined>;
}

/** One call, past input validation. */
export interface GatedCall {
  requestId: string;
  caller: Caller;
  operation: Operation;
  /** The validated input, as the operation will receive it. */
  input: unknown;
  /** What in the input the allowlists decide on. */
  targets: OperationTargets;
}
