import type { OpenAPIObject, OperationObject } from '@nestjs/swagger';
import { REQUIRED_ROLE_EXTENSION, type RequiredRole, rolesAllowed, articleOf } from '../common/roles.js';

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

/**
 * Ends the description of each operation that takes a key with the role it needs, from the
 * `x-required-role` extension `@Auth` puts on it: readers of the document, not only tools, see it.
 */
export function documentRequiredRoles(document: OpenAPIObject): void {
  for (const pathItem of Object.values(document.paths)) {
    for (const method of METHODS) {
      const operation = pathItem[method] as (OperationObject & Record<string, unknown>) | undefined;
      const role = operation?.[REQUIRED_ROLE_EXTENSION] as RequiredRole | undefined;
      if (!operation || !role) continue;
      const sentence = `Needs ${articleOf(role)} \`${role}\` key or above (${rolesAllowed(role)
        .map((allowed) => `\`${allowed}\``)
        .join(', ')}).`;
      operation.description = operation.description ? `${operation.description}\n\n${sentence}` : sentence;
    }
  }
}
