import type { RunHooks, RunPlan } from '../execution/engine/index.js';
import type { MetricsService } from '../observability/metrics.service.js';
import type { RunTrace } from '../observability/run-tracing.js';

/** Opens a span per node and ends it with the node. */
export function tracingHooks(runTrace: RunTrace): RunHooks {
  return {
    onNodeStarted: (nodeId, type) => runTrace.nodeStarted(nodeId, type),
    onNodeCompleted: (nodeId) => runTrace.nodeEnded(nodeId, 'completed'),
    onNodeFailed: (nodeId, error) => runTrace.nodeEnded(nodeId, 'failed', error),
    onNodeStopped: (nodeId) => runTrace.nodeEnded(nodeId, 'stopped'),
  };
}

/** Counts every node that finished running, by type and status, with its duration. */
export function metricsHooks(plan: RunPlan, metrics: MetricsService): RunHooks {
  const typeOf = (nodeId: string) => plan.nodes.get(nodeId)?.type ?? '';
  return {
    onNodeCompleted: (nodeId, _outputs, durationMs) => metrics.nodeFinished(typeOf(nodeId), 'completed', durationMs),
    onNodeFailed: (nodeId, _error, durationMs) => metrics.nodeFinished(typeOf(nodeId), 'failed', durationMs),
    onNodeStopped: (nodeId, durationMs) => metrics.nodeFinished(typeOf(nodeId), 'stopped', durationMs),
  };
}
