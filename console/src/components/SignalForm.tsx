import { useState, type FormEvent } from 'react';
import { api } from '../api';
import { formatJson, formatTime } from '../hooks';
import { payloadFields, payloadOf } from '../payload-form';
import { parseTypedText } from '../typed-text';
import type { JsonSchema } from '../types';
import { ProblemAlert } from './common';
import { PayloadFieldInputs, TypedField } from './TypedField';

interface SignalAccepted {
  id: string;
  received_at: string;
}

const WHOLE_PAYLOAD = 'payload';

/**
 * Sends the signal a waiting SignalNode awaits, with a form built from its payload schema (an
 * input per simple property, JSON otherwise). What was sent stays shown after the node resumes.
 */
export function SignalForm({
  runId,
  signal,
  waiting,
}: {
  runId: string;
  signal: { name: string; schema?: JsonSchema | null };
  waiting: boolean;
}) {
  const fields = payloadFields(signal.schema);
  const [texts, setTexts] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const [sent, setSent] = useState<string>();
  const [refusal, setRefusal] = useState<unknown>();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSent(undefined);
    setRefusal(undefined);
    setBusy(true);
    try {
      const payload = fields ? payloadOf(fields, texts) : parseTypedText('Payload', 'any', texts[WHOLE_PAYLOAD] ?? '');
      const accepted = await api.post<SignalAccepted>(`/v1/runs/${runId}/signals/${encodeURIComponent(signal.name)}`, {
        payload,
      });
      setSent(`Signal "${signal.name}" sent (received ${formatTime(accepted.received_at)}); the run resumes.`);
    } catch (failure) {
      setRefusal(failure);
    } finally {
      setBusy(false);
    }
  };

  const setText = (name: string) => (value: string) => setTexts((current) => ({ ...current, [name]: value }));
  return (
    <>
      {waiting && (
        <form className="signal-form" onSubmit={submit} aria-labelledby="signal-form-title">
          <h4 id="signal-form-title">Send signal “{signal.name}”</h4>
          {fields ? (
            <PayloadFieldInputs
              fields={fields}
              idPrefix="signal"
              texts={texts}
              onChange={(name, text) => setText(name)(text)}
            />
          ) : (
            <TypedField
              id="signal-payload"
              label="Payload"
              type="any"
              typeName={signal.schema ? 'JSON, checked by the schema' : 'any JSON'}
              value={texts[WHOLE_PAYLOAD] ?? ''}
              onChange={setText(WHOLE_PAYLOAD)}
              help="Empty sends null."
              unsetChoice=""
            />
          )}
          {signal.schema && !fields && (
            <details>
              <summary>Payload schema</summary>
              <pre tabIndex={0}>{formatJson(signal.schema)}</pre>
            </details>
          )}
          <button type="submit" disabled={busy}>
            {busy ? 'Sending…' : 'Send signal'}
          </button>
          <ProblemAlert failure={refusal} listLabel="Payload problems" />
        </form>
      )}
      {sent && (
        <p className="ok" role="status">
          {sent}
        </p>
      )}
    </>
  );
}
