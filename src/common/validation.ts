import { ValidationError, ValidationPipe } from '@nestjs/common';
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

/** The one ValidationPipe: unknown fields are rejected and every problem answers 422. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    forbidUnknownValues: false,
    exceptionFactory: (errors) => new ValidationProblem(flattenValidationErrors(errors)),
  });
}
