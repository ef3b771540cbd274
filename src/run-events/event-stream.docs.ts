/** OpenAPI descriptions shared by the Server-Sent Events routes. */
export const LAST_EVENT_ID_HEADER = {
  name: 'Last-Event-ID',
  required: false,
  description: 'Resume after this event id (EventSource clients send it when they reconnect).',
  schema: { type: 'string', pattern: '^\\d{1,19}$' },
};

export const EVENT_STREAM_RESPONSE = {
  description:
    'Server-Sent Events: blocks of `id:`, `event:` (the event type) and `data:` (a JSON object), ' +
    'and `: heartbeat` comment lines every 15 s.',
  content: {
    'text/event-stream': {
      schema: { type: 'string' },
      example:
        'id: 1842\nevent: node.completed\ndata: {"run_id":"…","node_id":"prompt","outputs":{"text":"…"},"timestamp":"…"}\n\n',
    },
  },
};
