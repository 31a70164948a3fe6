// What tests wrote to the console, for setupTests to fail them on; and the
// few messages a test may declare as not its code's (Backstage's own app
// shell in a whole-app test).
const complaints: string[] = [];
let tolerated: RegExp[] = [];

function describeArgument(argument: unknown): string {
  if (argument instanceof Error) return argument.stack ?? argument.message;
  if (typeof argument === 'string') return argument;
  try {
    return JSON.stringify(argument);
  } catch {
    return String(argument);
  }
}

export function recordComplaint(level: string, args: unknown[]): void {
  const message = args.map(describeArgument).join(' ');
  if (!tolerated.some(pattern => pattern.test(message))) {
    complaints.push(`console.${level}: ${message}`);
  }
}

/** Takes the complaints so far, and forgets what the test tolerated. */
export function takeComplaints(): string[] {
  tolerated = [];
  return complaints.splice(0);
}

/** Lets the current test write these messages (and only these) to the console. */
export function tolerateConsole(...patterns: RegExp[]): void {
  tolerated = [...tolerated, ...patterns];
}
