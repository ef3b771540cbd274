/**
 * A test double with only the members a test needs. Each one is checked against the real type, so
 * a misspelt or mistyped member fails to compile; a member left out is undefined.
 */
export function stub<T extends object>(members: Partial<T>): T {
  return members as T;
}
