import { api } from '../api';
import { useLoad } from '../hooks';
import type { Definition } from '../types';
import type { InputConnector } from './node-inputs';

interface Validation {
  connectors: Record<string, { inputs: InputConnector[] }>;
}

/**
 * The input connectors of `definition`'s nodes as the API derives them from their configs (a
 * TextTemplateNode's ((placeholders))), read once per definition; undefined while unknown.
 */
export function useNodeInputs(definition: Definition | undefined): Validation['connectors'] | undefined {
  const loaded = useLoad(
    async () =>
      definition ? (await api.post<Validation>('/v1/workflows/validate', { definition })).connectors : undefined,
    [definition],
  );
  return loaded.data;
}
