/** Where commands write: stdout for results, stderr for progress and messages, so stdout stays pipeable. */
export function print(line = ''): void {
  process.stdout.write(`${line}\n`);
}

export function note(line: string): void {
  process.stderr.write(`${line}\n`);
}

export function printJson(value: unknown): void {
  print(JSON.stringify(value, null, 2));
}

/** A value as it reads best in a terminal: strings as-is, the rest as indented JSON. */
export function formatValue(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value, null, 2);
}

const useColor = () => process.stdout.isTTY && !process.env.NO_COLOR;

export function color(code: 'red' | 'green' | 'cyan' | 'dim', text: string): string {
  if (!useColor()) return text;
  const codes = { red: 31, green: 32, cyan: 36, dim: 2 };
  return `\u001b[${codes[code]}m${text}\u001b[0m`;
}
