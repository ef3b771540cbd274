import { useEffect, useState } from 'react';
import { ApiError, request, type FieldError } from '../api';
import type { Definition } from '../types';
import type { ConnectorsByNode } from '../graph/ports';

export interface Validation {
  /** The definition these answers are about (error paths index into it). */
  definition: Definition;
  valid: boolean;
  errors: FieldError[];
  connectors: ConnectorsByNode;
}

const DEBOUNCE_MS = 250;

/**
 * What a save of `definition` would answer, asked (POST /v1/workflows/validate) once typing pauses;
 * the latest answer wins. Until the first answer, or when the server cannot say, it is undefined.
 */
export function useValidation(workflowId: string, definition: Definition): Validation | undefined {
  const [validation, setValidation] = useState<Validation>();
  useEffect(() => {
    const controller = new AbortController();
    const timer = setTimeout(() => {
      request<Omit<Validation, 'definition'>>('POST', '/v1/workflows/validate', {
        body: { definition, workflow_id: workflowId },
        signal: controller.signal,
      }).then(
        ({ body }) => setValidation({ ...body, definition }),
        (failure: unknown) => {
          // A definition that is not even an object is refused outright: its 422 says why.
          if (failure instanceof ApiError && failure.status === 422) {
            setValidation({ definition, valid: false, errors: failure.fieldErrors, connectors: {} });
          }
        },
      );
    }, DEBOUNCE_MS);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [workflowId, definition]);
  return validation;
}
