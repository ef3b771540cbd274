import { ArgumentMetadata, ValidationError, ValidationPipe } from '@nestjs/common';
import { bodyShapeProblems } from './body-shape.js';
import { setJsonPropertiesAside } from './json-value.js';
import { FieldProblem, ValidationProblem } from './problem.js';

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

/** Refuses bodies class-transformer or PostgreSQL cannot handle (see body-shape.ts) before validating. */
class BodyValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type !== 'body') return super.transform(value, metadata);
    const problems = bodyShapeProblems(value);
    if (problems.length) throw new ValidationProblem(problems);
    const json = setJsonPropertiesAside(metadata.metatype, value);
    return json.restore(await super.transform(json.body, metadata));
  }
}

/** The one ValidationPipe: unknown fields are rejected and every problem answers 422. */
export function createValidationPipe(): ValidationPipe {
  return new BodyValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    forbidUnknownValues: false,
    exceptionFactory: (errors) => new ValidationProblem(flattenValidationErrors(errors)),
  });
}
