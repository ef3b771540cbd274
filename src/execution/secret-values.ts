/** Group secrets by name, as a run resolved them when it started. */
export type SecretValues = Readonly<Record<string, string>>;
