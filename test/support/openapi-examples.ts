import type { OpenAPIObject, OperationObject } from '@nestjs/swagger';

export interface DocumentedOperation {
  operationId: string;
  path: string;
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  operation: OperationObject;
  queryParameters: string[];
}

/** The operation of the document with this operationId. */
export function operationById(document: OpenAPIObject, operationId: string): DocumentedOperation {
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of ['get', 'post', 'put', 'patch', 'delete'] as const) {
      const operation = item[method];
      if (operation?.operationId !== operationId) continue;
      const parameters = (operation.parameters ?? []) as { in: string; name: string }[];
      const queryParameters = parameters.filter((p) => p.in === 'query').map((p) => p.name);
      return { operationId, path, method, operation, queryParameters };
    }
  }
  throw new Error(`no operation ${operationId} in the document`);
}

/** The named JSON request-body examples of an operation, in the order Swagger UI offers them. */
export function documentedExamples(operation: DocumentedOperation): [string, unknown][] {
  const body = operation.operation.requestBody as { content?: Record<string, { examples?: object }> } | undefined;
  const examples = (body?.content?.['application/json']?.examples ?? {}) as Record<string, { value: unknown }>;
  return Object.entries(examples).map(([name, example]) => [name, example.value]);
}
