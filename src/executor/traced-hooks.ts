import type { RunHooks } from '../execution/engine/index.js';
import type { RunTrace } from '../observability/run-tracing.js';
import type { RunRecorder } from './run-recorder.js';

/** The recorder's hooks, each also opening or closing the node's span. */
export function tracedHooks(recorder: RunRecorder, runTrace: RunTrace): RunHooks {
  return {
    onNodeStarted(nodeId, type, inputs, priorAttempts) {
      runTrace.nodeStarted(nodeId, type);
      return recorder.onNodeStarted(nodeId, type, inputs, priorAttempts);
    },
    onNodeCompleted(nodeId, outputs, durationMs, attempts) {
      runTrace.nodeEnded(nodeId, 'completed');
      return recorder.onNodeCompleted(nodeId, outputs, durationMs, attempts);
    },
    onNodeFailed(nodeId, error, durationMs, attempts) {
      runTrace.nodeEnded(nodeId, 'failed', error);
      return recorder.onNodeFailed(nodeId, error, durationMs, attempts);
    },
    onNodeRetrying: (nodeId, failed, delayMs, attempts) => recorder.onNodeRetrying(nodeId, failed, delayMs, attempts),
    onNodeStopped(nodeId, durationMs) {
      runTrace.nodeEnded(nodeId, 'stopped');
      return recorder.onNodeStopped(nodeId, durationMs);
    },
    onNodeSkipped: (nodeId, reason) => recorder.onNodeSkipped(nodeId, reason),
    onDelta: (nodeId, delta) => recorder.onDelta(nodeId, delta),
    onProgress: (percent) => recorder.onProgress(percent),
  };
}
