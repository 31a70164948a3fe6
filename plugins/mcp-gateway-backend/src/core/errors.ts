/** One way the arguments do not match an operation's input schema. */
export interface InputIssue {
  /** Dotted path into the arguments; empty for the arguments as a whole. */
  path: string;
  message: string;
}

/** The arguments did not match the operation's input schema. */
export class InvalidArguments extends Error {
  readonly name = 'InvalidArguments';

  constructor(readonly issues: InputIssue[]) {
    super('Invalid arguments');
  }
}

/** No source offers this caller an operation of that name. */
export class UnknownOperation extends Error {
  readonly name = 'UnknownOperation';
}
