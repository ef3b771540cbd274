/**
 * A DTO's precompiled check for the bodies and queries it sees most, beside class-validator: it
 * answers the instance full validation would give, or undefined, and then full validation decides
 * (and words the problems). class-transformer and class-validator walk their metadata for every
 * request, which made validation a twentieth of a sync run's CPU; a precompiled check is a few
 * property reads. It must accept nothing full validation refuses: precompiled-validation.spec.ts
 * holds each check to that.
 */
export type PrecompiledCheck<Dto> = (value: unknown) => Dto | undefined;

const checks = new WeakMap<object, PrecompiledCheck<unknown>>();

/** Registers `check` for the decorated DTO class. */
export function Precompiled<Dto>(check: PrecompiledCheck<Dto>): ClassDecorator {
  return (dto) => {
    checks.set(dto, check);
  };
}

/** The DTO's check, if it has one. */
export function precompiledCheck(dto: unknown): PrecompiledCheck<unknown> | undefined {
  return typeof dto === 'function' ? checks.get(dto) : undefined;
}

/** A JSON object (not an array): what @IsObject accepts of parsed JSON. */
export const isJsonObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
