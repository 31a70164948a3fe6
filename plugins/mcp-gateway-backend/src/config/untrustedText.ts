/** How much of any input a message repeats. */
const ECHO_LIMIT = 100;

/** Lower-cases A-Z only: `toLowerCase` folds e.g. the Kelvin sign into 'k'. */
export function asciiLower(text: string): string {
  return text.replace(/[A-Z]/g, c => c.toLowerCase());
}

/** The text, cut to what a message may repeat of it. */
export function clip(text: string): string {
  return text.length > ECHO_LIMIT ? `${text.slice(0, ECHO_LIMIT)}…` : text;
}
