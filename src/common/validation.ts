import { ArgumentMetadata, ValidationError, ValidationPipe } from '@nestjs/common';
import { bodyShapeProblems } from './body-shape.js';
import { setJsonPropertiesAside } from './json-value.js';
import { FieldProblem, ValidationProblem } from './problem.js';
import { gatherQueryMaps } from './query-map.js';

/** Flattens class-validator's nested errors into `{field, message}` with dotted/indexed paths. */
export function flattenValidationErrors(errors: ValidationError[], parent = ''): FieldProblem[] {
  const problems: FieldProblem[] = [];
  for (const error of errors) {
    const field = /^\d+$/.test(error.property)
      ? `${parent}[${error.property}]`
      : parent
        ? `${parent}.${error.property}`
        : error.property;
    for (const message of Object.values(error.constraints ?? {})) {
      problems.push({ field, message: message.replace(/^property \S+ /, '') });
    }
    problems.push(...flattenValidationErrors(error.children ?? [], field));
  }
  return problems;
}

/**
 * Refuses bodies and queries class-transformer or PostgreSQL cannot handle (see body-shape.ts)
 * before validating; a query's map parameters are gathered first (query-map.ts).
 */
class RequestValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type === 'query') value = gatherQueryMaps(metadata.metatype, value);
    else if (metadata.type !== 'body') return super.transform(value, metadata);
    const problems = [...bodyShapeProblems(value), ...inheritedNameProblems(value, metadata.metatype)];
    if (problems.length) throw new ValidationProblem(problems);
    const json = setJsonPropertiesAside(metadata.metatype, value);
    return json.restore(await super.transform(json.body, metadata));
  }
}

/**
 * Top-level body keys such as `constructor` or `toString` name something every object inherits:
 * class-transformer would drop them silently, so the whitelist would never see them. They are
 * refused like any other unknown field.
 */
function inheritedNameProblems(body: unknown, dto: unknown): FieldProblem[] {
  if (typeof dto !== 'function' || typeof body !== 'object' || body === null || Array.isArray(body)) return [];
  const prototype = (dto as { prototype: object }).prototype;
  return Object.keys(body)
    .filter((key) => key in prototype)
    .map((key) => ({ field: key, message: 'should not exist' }));
}

/** The one ValidationPipe: unknown fields are rejected and every problem answers 422. */
export function createValidationPipe(): ValidationPipe {
  return new RequestValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    forbidUnknownValues: false,
    exceptionFactory: (errors) => new ValidationProblem(flattenValidationErrors(errors)),
  });
}
