/**
 * A deliberate "no" from a corridor stage. Its message goes to the caller
 * as it is, so it says which rule refused and never reveals hidden data.
 */
export class GatewayRefusal extends Error {
  readonly name = 'GatewayRefusal';

  constructor(
    readonly stage: string,
    message: string,
  ) {
    super(message);
  }
}
