/** What the kill switch says about one agent right now. */
export type ControlVerdict =
  | { state: 'running' }
  | { state: 'gateway-stopped'; reason?: string; by: 'config' | string }
  | { state: 'agent-disabled'; reason?: string; by: 'config' | string }
  | { state: 'unavailable' };
