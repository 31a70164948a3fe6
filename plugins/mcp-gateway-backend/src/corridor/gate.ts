import { Caller } from '../identity/caller';
import { GatewayTool } from '../tools/types';

/** One tool call as it walks the corridor. */
export interface ToolCall {
  requestId: string;
  caller: Caller;
  tool: GatewayTool;
}

/**
 * A stage that may refuse a call before the tool runs (control, policy,
 * limits). It throws a GatewayRefusal to refuse.
 */
export interface Gate {
  readonly stage: string;
  check(call: ToolCall): Promise<void>;
}
