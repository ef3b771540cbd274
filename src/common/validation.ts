import { ArgumentMetadata, ValidationError, ValidationPipe } from '@nestjs/common';
import { bodyShapeProblems } from './body-shape.js';
import { setJsonPropertiesAside } from './json-value.js';
import { precompiledCheck } from './precompiled-validation.js';
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
 * Refuses bodies and queries class-transformer or PostgreSQL cannot handle (see body-shape.ts), or
 * whose keys it would drop, before validating; a query's map parameters are gathered first
 * (query-map.ts). A DTO's precompiled check (precompiled-validation.ts) answers the common valid
 * ones without class-validator.
 */
class RequestValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type === 'query') value = gatherQueryMaps(metadata.metatype, value);
    else if (metadata.type !== 'body') return super.transform(value, metadata);
    const shapeProblems = bodyShapeProblems(value);
    const precompiled = shapeProblems.length ? undefined : precompiledCheck(metadata.metatype)?.(value);
    if (precompiled) return precompiled;
    const json = setJsonPropertiesAside(metadata.metatype, value);
    // Paths are spelled out for every key below: only in a body of bounded depth.
    const problems = shapeProblems.length ? shapeProblems : droppedKeyProblems(json.body, metadata.metatype);
    if (problems.length) throw new ValidationProblem(problems);
    return json.restore(await super.transform(json.body, metadata));
  }
}

const isPlainMap = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Keys that would vanish on the way to the DTO without a word. At the top, those naming something
 * the DTO inherits (`constructor`, `toString`): class-transformer skips them, so the whitelist never
 * sees them. Below it, in objects not kept as JSON (such as a `metadata` map), `prototype` and the
 * names every object inherits: NestJS deletes `constructor` and `prototype` (against prototype
 * pollution), class-transformer skips the others. Dropped from a filter, a pair would widen what
 * it selects, so they are refused instead (`__proto__` is, everywhere, by bodyShapeProblems).
 */
function droppedKeyProblems(body: unknown, dto: unknown): FieldProblem[] {
  if (typeof dto !== 'function' || !isPlainMap(body)) return [];
  const prototype = (dto as { prototype: object }).prototype;
  const problems = Object.keys(body)
    .filter((key) => key in prototype || key === 'prototype')
    .map((key) => ({ field: key, message: 'should not exist' }));
  const below: [string, unknown][] = Object.entries(body);
  for (let next = below.pop(); next; next = below.pop()) {
    const [path, value] = next;
    if (Array.isArray(value)) value.forEach((item, index) => below.push([`${path}[${index}]`, item]));
    if (!isPlainMap(value)) continue;
    for (const [key, item] of Object.entries(value)) {
      if (key !== '__proto__' && (key in Object.prototype || key === 'prototype')) {
        problems.push({ field: `${path}.${key}`, message: 'is a reserved name and cannot be used as a key here' });
      }
      below.push([`${path}.${key}`, item]);
    }
  }
  return problems;
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

/** For boolean query parameters (`?force=true`): `true`/`1` and `false`/`0`; anything else is left for `@IsBoolean` to refuse. */
export const toBoolean = ({ value }: { value: unknown }) =>
  value === 'true' || value === '1' ? true : value === 'false' || value === '0' ? false : value;
