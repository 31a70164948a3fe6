import { Caller } from '../core/caller';
import { GatedCall, Gate } from '../core/gate';
import { Operation } from '../core/operation';

/**
 * The gates in order (control, policy, permission, limits): one list that
 * decides listings and calls alike, and calls again on their input.
 */
export class GateList {
  constructor(private readonly gates: Gate[]) {}

  /** Of these operations, the ones every listing gate lets through. */
  async permitted<T extends { operation: Operation }>(
    caller: Caller,
    offered: T[],
  ): Promise<T[]> {
    let permitted = offered;
    for (const gate of this.gates) {
      if (gate.appliesTo !== 'both' || !permitted.length) continue;
      // Later gates see only what earlier ones let through.
      const refusals = await decisionsOf(
        gate,
        caller,
        permitted.map(item => item.operation),
      );
      permitted = permitted.filter((_, i) => !refusals[i]);
    }
    return permitted;
  }

  /** Every gate, before the input is read; the first refusal is thrown. */
  async pass(caller: Caller, operation: Operation): Promise<void> {
    for (const gate of this.gates) {
      const [refusal] = await decisionsOf(gate, caller, [operation]);
      if (refusal) throw refusal;
    }
  }

  /** Gates that decide on the validated input (allowlists of templates, locations). */
  async passInput(call: GatedCall): Promise<void> {
    for (const gate of this.gates) {
      const refusal = await gate.decideInput?.(call);
      if (refusal) throw refusal;
    }
  }
}

/**
 * A gate's decisions, one per operation. A gate that answers for fewer
 * operations than it was asked about fails the request: a missing
 * decision must never read as a pass.
 */
async function decisionsOf(
  gate: Gate,
  caller: Caller,
  operations: readonly Operation[],
) {
  if (!gate.decide) return [];
  const decisions = await gate.decide(caller, operations);
  if (decisions.length !== operations.length) {
    throw new Error(
      `The ${gate.stage} gate answered ${decisions.length} decisions for ${operations.length} operations`,
    );
  }
  return decisions;
}
