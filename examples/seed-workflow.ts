/**
 * The example workflow ("Beginner answers"): two inputs (one with a default), a template, one
 * output. Swagger UI's examples, the README's curl examples, the tests and the benchmark all run
 * this definition.
 */
export { EXAMPLE_DEFINITION as SEED_DEFINITION } from '../src/openapi/request-examples.js';
