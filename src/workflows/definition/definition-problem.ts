/** One reason a workflow definition cannot be saved; `field` is e.g. `definition.edges[0].to.input`. */
export interface DefinitionProblem {
  field: string;
  message: string;
}
