import type { ApiPropertyOptions } from '@nestjs/swagger';

/**
 * Why a run or node run failed; null otherwise. Inline rather than a `$ref`: OpenAPI 3.0 honours
 * `nullable` only beside a `type`, so `nullable` next to `allOf: [$ref]` would reject the `null`
 * every completed run carries under strict validators.
 */
export function runErrorProperty(selfRequired = true): ApiPropertyOptions {
  return {
    type: 'object',
    nullable: true,
    selfRequired,
    required: ['node_id', 'message', 'type'],
    properties: {
      node_id: {
        type: 'string',
        nullable: true,
        description:
          'null when the run failed as a whole (`attempts_exhausted`, or `internal_error` outside any node).',
      },
      message: { type: 'string' },
      type: { type: 'string', description: 'e.g. `node_error`, `fail_node`, `internal_error`.' },
    },
  };
}
