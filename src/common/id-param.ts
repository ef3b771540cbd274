import { Param, PipeTransform } from '@nestjs/common';
import { NotFoundProblem } from './problem.js';
import { isUuid } from './uuid.js';

class UuidOrNotFound implements PipeTransform<string, string> {
  constructor(private readonly resource: string) {}

  transform(value: string): string {
    if (!isUuid(value)) throw new NotFoundProblem(this.resource, value);
    return value.toLowerCase();
  }
}

/** A path id: anything that is not a UUID cannot name a resource, so it is a 404, not a 422. */
export function IdParam(name: string, resource: string): ParameterDecorator {
  return Param(name, new UuidOrNotFound(resource));
}
