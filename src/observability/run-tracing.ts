import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { context, SpanKind, SpanStatusCode, trace, TraceFlags, type Context, type Span } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BasicTracerProvider,
  BatchSpanProcessor,
  RandomIdGenerator,
  type IdGenerator,
} from '@opentelemetry/sdk-trace-base';
import type { Run } from '../generated/prisma/client.js';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import type { RunError, StoredRunError } from '../execution/engine/index.js';
import { formatTraceparent, parseTraceparent } from './trace-context.js';

/**
 * Lets a run's root span carry the trace id the run was given at creation (and returned to the
 * client), even when it has no parent: the next span started takes the preset id. Starting a
 * span is synchronous, so nothing can come in between.
 */
class PresetTraceIds implements IdGenerator {
  private readonly random = new RandomIdGenerator();
  next: string | undefined;

  generateTraceId(): string {
    const preset = this.next;
    this.next = undefined;
    return preset ?? this.random.generateTraceId();
  }

  generateSpanId(): string {
    return this.random.generateSpanId();
  }
}

/**
 * OpenTelemetry traces for runs with `tracing: true`, exported over OTLP/HTTP to
 * OTEL_EXPORTER_OTLP_ENDPOINT: a root span per run attempt and a child span per executed node.
 * Without an endpoint, runs still get a trace id but no spans are recorded.
 */
@Injectable()
export class RunTracing implements OnApplicationShutdown {
  private readonly ids = new PresetTraceIds();
  private readonly provider: BasicTracerProvider | undefined;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    const endpoint = config.otelExporterOtlpEndpoint;
    if (!endpoint) return;
    this.provider = new BasicTracerProvider({
      resource: resourceFromAttributes({ 'service.name': 'runloom' }),
      idGenerator: this.ids,
      spanProcessors: [
        new BatchSpanProcessor(new OTLPTraceExporter({ url: `${endpoint.replace(/\/$/, '')}/v1/traces` }), {
          scheduledDelayMillis: 500,
        }),
      ],
    });
  }

  /** Starts the run's root span; undefined when the run is not traced or nothing exports. */
  start(run: Run): RunTrace | undefined {
    if (!run.tracing || !run.traceId || !this.provider) return undefined;
    const tracer = this.provider.getTracer('runloom');
    const incoming = parseTraceparent(run.traceParent ?? undefined);
    let parent: Context = context.active();
    if (incoming) {
      parent = trace.setSpanContext(parent, {
        traceId: incoming.traceId,
        spanId: incoming.parentSpanId,
        traceFlags: TraceFlags.SAMPLED,
        isRemote: true,
      });
    } else {
      this.ids.next = run.traceId;
    }
    const root = tracer.startSpan(
      'runloom.run',
      {
        kind: SpanKind.INTERNAL,
        attributes: {
          'runloom.run_id': run.id,
          'runloom.workflow_id': run.workflowId,
          'runloom.workflow_version_id': run.workflowVersionId ?? 'draft',
          'runloom.group_id': run.groupId,
          'runloom.run.mode': run.mode,
          'runloom.run.attempt': run.attempt,
        },
      },
      parent,
    );
    return new RunTrace(run, root, (name, attributes, parentSpan = root, kind = SpanKind.INTERNAL) =>
      tracer.startSpan(name, { kind, attributes }, trace.setSpan(context.active(), parentSpan)),
    );
  }

  async onApplicationShutdown(): Promise<void> {
    await this.provider?.shutdown();
  }

  /** Sends what is buffered now (tests, and the end of a run). */
  flush(): Promise<void> {
    return this.provider?.forceFlush() ?? Promise.resolve();
  }
}

type StartChild = (name: string, attributes: Record<string, string | number>, parent?: Span, kind?: SpanKind) => Span;

/** One run attempt's spans. */
export class RunTrace {
  private readonly nodes = new Map<string, Span>();

  constructor(
    private readonly run: Run,
    private readonly root: Span,
    private readonly startChild: StartChild,
  ) {}

  nodeStarted(nodeId: string, nodeType: string): void {
    this.nodes.set(
      nodeId,
      this.startChild(`runloom.node ${nodeId}`, {
        'runloom.run_id': this.run.id,
        'runloom.workflow_id': this.run.workflowId,
        'runloom.group_id': this.run.groupId,
        'runloom.node_id': nodeId,
        'runloom.node_type': nodeType,
      }),
    );
  }

  nodeEnded(nodeId: string, status: 'completed' | 'failed' | 'stopped', error?: RunError): void {
    const span = this.nodes.get(nodeId);
    if (!span) return;
    span.setAttribute('runloom.node.status', status);
    if (error) span.setStatus({ code: SpanStatusCode.ERROR, message: error.message });
    else if (status === 'completed') span.setStatus({ code: SpanStatusCode.OK });
    span.end();
    this.nodes.delete(nodeId);
  }

  /**
   * The `traceparent` naming the node's span (the root span's, before the node starts): a child run
   * the node starts stores it, so its spans join this trace wherever and whenever it executes.
   */
  traceparentOf(nodeId: string): string {
    const { traceId, spanId } = (this.nodes.get(nodeId) ?? this.root).spanContext();
    return formatTraceparent(traceId, spanId);
  }

  /** A CLIENT span for an outbound call a node makes, under the node's span. */
  clientSpan(nodeId: string, name: string, attributes: Record<string, string | number>) {
    const span = this.startChild(name, attributes, this.nodes.get(nodeId) ?? this.root, SpanKind.CLIENT);
    return {
      end({ status, error }: { status?: number; error?: string }) {
        if (status !== undefined) span.setAttribute('http.response.status_code', status);
        if (error !== undefined) span.setStatus({ code: SpanStatusCode.ERROR, message: error });
        span.end();
      },
    };
  }

  end(status: string, error: StoredRunError | null): void {
    for (const nodeId of [...this.nodes.keys()]) this.nodeEnded(nodeId, 'stopped');
    this.root.setAttribute('runloom.run.status', status);
    if (error) this.root.setStatus({ code: SpanStatusCode.ERROR, message: `${error.node_id}: ${error.message}` });
    else if (status === 'completed') this.root.setStatus({ code: SpanStatusCode.OK });
    this.root.end();
  }
}
