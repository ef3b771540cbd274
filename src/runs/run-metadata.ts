import { ApiPropertyOptions } from '@nestjs/swagger';
import { ValidateBy, type ValidationOptions } from 'class-validator';

/** The caller's labels on a run: a string→string map, searchable (`metadata.<key>=<value>`). */
export type RunMetadata = Record<string, string>;

export const MAX_METADATA_KEYS = 16;
export const MAX_METADATA_VALUE_LENGTH = 256;
export const METADATA_KEY_PATTERN = /^[a-z0-9_.-]{1,64}$/;

const KEY_RULE = '1-64 characters of a-z, 0-9, _ . -';

/** Why `value` is not run metadata, or null when it is. */
export function metadataProblem(value: unknown): string | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'must be an object of strings';
  const entries = Object.entries(value);
  if (entries.length > MAX_METADATA_KEYS) return `may have at most ${MAX_METADATA_KEYS} keys (has ${entries.length})`;
  for (const [key, item] of entries) {
    if (!METADATA_KEY_PATTERN.test(key)) return `key "${key.slice(0, 80)}" must be ${KEY_RULE}`;
    if (typeof item !== 'string') return `value of "${key}" must be a string`;
    if (item.length > MAX_METADATA_VALUE_LENGTH) {
      return `value of "${key}" must be at most ${MAX_METADATA_VALUE_LENGTH} characters (has ${item.length})`;
    }
  }
  return null;
}

/** Validates a body's `metadata` (absent or null is left to @ValidateIf). */
export function IsRunMetadata(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isRunMetadata',
      validator: {
        validate: (value) => metadataProblem(value) === null,
        defaultMessage: (args) => `metadata ${metadataProblem(args?.value)}`,
      },
    },
    options,
  );
}

/** The OpenAPI schema of `metadata`, in bodies (`nullable`) and on runs. */
export function metadataProperty(description: string, nullable: boolean): ApiPropertyOptions {
  return {
    type: 'object',
    additionalProperties: { type: 'string', maxLength: MAX_METADATA_VALUE_LENGTH },
    maxProperties: MAX_METADATA_KEYS,
    nullable,
    example: { customer: 'acme', ticket: 'T-1042' },
    description: `${description} At most ${MAX_METADATA_KEYS} keys of ${KEY_RULE}; values are strings of at most ${MAX_METADATA_VALUE_LENGTH} characters.`,
  };
}
