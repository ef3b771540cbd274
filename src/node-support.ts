/**
 * Which Node.js release lines Runloom supports. CI runs the whole test suite on the versions in
 * `.ci/node-versions` (22, 24 and 26 LTS) and on the machine's own Node.js 20.
 */
export const SUPPORTED_NODE_LINES = [22, 24, 26] as const;

/** End-of-life dates of the release lines `engines` admits (nodejs.org release schedule). */
const END_OF_LIFE: Readonly<Record<number, string>> = {
  20: '2026-04-30',
  21: '2024-06-01',
  22: '2027-04-30',
  23: '2025-06-01',
  24: '2028-04-30',
  25: '2026-06-01',
  26: '2029-04-30',
};

/** One line warning that `version` gets no more fixes, or undefined while its line is maintained. */
export function endOfLifeWarning(version: string, today: Date): string | undefined {
  const major = Number(version.split('.')[0]);
  const endOfLife = END_OF_LIFE[major];
  if (!endOfLife || today < new Date(`${endOfLife}T00:00:00Z`)) return undefined;
  const supported = `${SUPPORTED_NODE_LINES.slice(0, -1).join(', ')} and ${SUPPORTED_NODE_LINES.at(-1)}`;
  return `Warning: Node.js ${version} reached end-of-life on ${endOfLife} and gets no security fixes; Runloom supports Node.js ${supported} (LTS).`;
}
