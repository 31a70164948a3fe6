/**
 * The stages of the corridor, in the order a request walks them. Audit
 * records name the stage that ended a request that did not succeed.
 */
export type Stage =
  | 'origin'
  | 'identity'
  | 'protocol'
  | 'audit'
  | 'control'
  | 'policy'
  | 'permission'
  | 'limits'
  | 'input'
  | 'operation'
  | 'shaping';
