/** Exit codes the CLI promises (docs/cli.md): scripts and CI branch on them. */
export const EXIT = {
  ok: 0,
  /** The server refused, a run failed or was stopped, a file could not be read. */
  failed: 1,
  /** Bad usage or missing configuration: nothing was sent. */
  usage: 2,
  /** `push --dry-run --exit-code`: something would change. */
  changes: 3,
} as const;

/** An error the CLI reports as one message (no stack) and exits with `exitCode`. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT.failed,
  ) {
    super(message);
  }
}

/** Wrong command line: the message is followed by the command's usage. */
export class UsageError extends CliError {
  constructor(
    message: string,
    readonly usage?: string,
  ) {
    super(message, EXIT.usage);
  }
}
