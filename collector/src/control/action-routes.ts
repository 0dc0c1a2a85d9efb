/**
 * The callers' side of control: cancel and replay an execution (`access: 'control'`, the
 * --control-token, never the query token), plus two reads behind the query token: which
 * instances are connected (GET /api/control) and a run's captured input with what is missing
 * from it (GET /api/executions/:traceId/replay-input).
 *
 * Invariants: a request reaches only connected instances of the execution's service that
 * announced its flow as allowing the action (else it is refused and no service hears of it);
 * every request that passed the token check is recorded in control_log with its outcome; a
 * carried-out cancel makes every later cancel of the run a no-op; an input holding redacted or
 * truncated values never runs. Instances are found and asked through the router (router.ts): here
 * or, on a storage shared by many collectors, at whichever collector holds them; the request is
 * recorded once, by the collector that received it.
 */
import { randomUUID } from 'node:crypto';
import { ATTR_FLOW_INPUT } from '@flowtrace/instrumentation/conventions';
import type { FastifyRequest } from 'fastify';
import type { ControlResult, ControlStatus, ReplayInput } from '../api/control-types.js';
import { cancelExecution, controlStatus, replayExecution, replayInput } from '../api/routes/control.js';
import type { TypeBoxApp } from '../api/typebox-app.js';
import { errors, FlowtraceError } from '../errors.js';
import type { ExecutionRecord, Storage } from '../storage/index.js';
import type { ControlHub, InstanceAnswer } from './hub.js';
import { describeIncomplete, incompleteFields, readCapturedInput } from './replay-input.js';
import { cancelOutcome, OUTCOME_OF_CODE, refusalOf } from './outcomes.js';
import type { ControlRouter } from './router.js';

interface Context {
  requestId: string;
  requestedAt: number;
  action: 'cancel' | 'replay';
  traceId: string;
  requestedBy: string;
  client: string;
  execution?: ExecutionRecord;
  instanceId?: string;
  inputEdited?: boolean;
}

export async function actionRoutes(app: TypeBoxApp, opts: { storage: Storage; hub: ControlHub; router: ControlRouter; enabled: boolean }): Promise<void> {
  const { storage, hub, router, enabled } = opts;

  /** Runs one control request and records how it ended, answered or refused. */
  const handle = async (request: FastifyRequest, action: 'cancel' | 'replay', work: (ctx: Context) => Promise<ControlResult>): Promise<ControlResult> => {
    if (!enabled) throw errors.FT_CONTROL_OFF();
    const { traceId } = request.params as { traceId: string };
    const body = (request.body ?? {}) as { requestedBy?: string };
    const ctx: Context = {
      requestId: randomUUID(), requestedAt: Date.now(), action, traceId: traceId.toLowerCase(),
      requestedBy: body.requestedBy?.trim() || 'api', client: request.ip,
    };
    let result: ControlResult | undefined;
    let failure: FlowtraceError | undefined;
    try {
      result = await work(ctx);
      return result;
    } catch (error) {
      if (error instanceof FlowtraceError) failure = error;
      throw error;
    } finally {
      await storage.controlLog.record({
        requestId: ctx.requestId, requestedAt: ctx.requestedAt, answeredAt: Date.now(), action, targetTraceId: ctx.traceId,
        serviceName: ctx.execution?.serviceName ?? null, flowId: ctx.execution?.flowId ?? null, requestedBy: ctx.requestedBy,
        client: ctx.client, outcome: result?.outcome ?? (failure ? OUTCOME_OF_CODE[failure.code] ?? 'failed' : 'failed'),
        message: result?.message ?? failure?.message ?? null, instanceId: result?.instanceId ?? ctx.instanceId ?? null,
        newTraceId: result?.newTraceId ?? null, inputEdited: ctx.inputEdited ?? null,
      }).catch((error: unknown) => request.log.error({ err: error }, 'control request not recorded'));
    }
  };

  /** The connected instances of the execution's service that allow `action` on its flow. */
  const targets = async (execution: ExecutionRecord, action: 'cancel' | 'replay'): Promise<string[]> => {
    const instances = await router.instances(execution.serviceName);
    if (instances.length === 0) throw errors.FT_CONTROL_NO_INSTANCE(`no instance of ${execution.serviceName} holds a control connection`);
    const allowed = instances.filter((i) => i.flows.some((f) => f.id === execution.flowId && f[action]));
    if (allowed.length === 0) {
      throw errors.FT_CONTROL_NOT_ALLOWED(execution.flowId === null
        ? `this execution is not a flow that ${execution.serviceName} announced`
        : `${execution.serviceName} does not allow ${action} of flow ${execution.flowId}`);
    }
    return allowed.map((i) => i.instanceId);
  };

  const read = async (ctx: Context): Promise<ExecutionRecord> => {
    const execution = await storage.executions.get(ctx.traceId);
    if (!execution) throw errors.FT_TRACE_NOT_FOUND(ctx.traceId);
    ctx.execution = execution;
    return execution;
  };

  app.post('/api/executions/:traceId/cancel', {
    config: { access: 'control' },
    schema: cancelExecution,
  }, (request) => handle(request, 'cancel', async (ctx) => {
    const noOp = (): ControlResult => ({
      requestId: ctx.requestId, action: 'cancel', traceId: ctx.traceId, outcome: 'already_cancelled', message: 'this execution was cancelled before', instanceId: null,
    });
    if (hub.wasCancelled(ctx.traceId) || await storage.controlLog.wasCancelled(ctx.traceId)) return noOp();
    const execution = await read(ctx);
    if (execution.status !== 'running') throw errors.FT_EXECUTION_FINISHED(`it ended ${execution.status}`);
    const instances = await targets(execution, 'cancel');
    const answers = await Promise.all(instances.map(async (id) => ({ id, answer: await router.request(id, randomUUID(), {
      action: 'cancel', traceId: ctx.traceId, flowId: execution.flowId, requestedBy: ctx.requestedBy,
    }) })));
    const { outcome, instanceId } = cancelOutcome(answers);
    ctx.instanceId = instanceId;
    if (outcome === 'cancelled' || outcome === 'already_cancelled') {
      hub.noteCancelled(ctx.traceId);
      return {
        requestId: ctx.requestId, action: 'cancel', traceId: ctx.traceId, outcome, instanceId: instanceId ?? null,
        message: outcome === 'cancelled' ? `cancelled by ${ctx.requestedBy} in ${instanceId}` : 'this execution was cancelled before',
      };
    }
    throw refusalOf(outcome, execution);
  }));

  app.post('/api/executions/:traceId/replay', {
    config: { access: 'control' },
    schema: replayExecution,
  }, async (request, reply) => {
    const result = await handle(request, 'replay', async (ctx) => {
      const execution = await read(ctx);
      const instances = await targets(execution, 'replay');
      const body = request.body ?? {};
      ctx.inputEdited = Object.hasOwn(body, 'input');
      let input: unknown;
      if (ctx.inputEdited) {
        input = body.input;
        const missing = incompleteFields(input);
        if (missing.length > 0) throw errors.FT_REPLAY_INPUT_INCOMPLETE(describeIncomplete(missing));
      } else {
        const captured = readCapturedInput(await capturedInputText(storage, execution));
        if (captured.incomplete.length > 0) throw errors.FT_REPLAY_INPUT_INCOMPLETE(describeIncomplete(captured.incomplete));
        input = captured.value;
      }
      const instanceId = instances[Math.floor(Math.random() * instances.length)];
      ctx.instanceId = instanceId;
      const answer: InstanceAnswer = await router.request(instanceId, randomUUID(), {
        action: 'replay', traceId: ctx.traceId, flowId: execution.flowId, requestedBy: ctx.requestedBy, input,
        origin: { traceId: execution.traceId, spanId: execution.rootSpanId ?? '' },
      });
      if (answer.kind !== 'answered') throw refusalOf(answer.kind === 'lost' ? 'connection_lost' : 'no_answer', execution);
      if (answer.outcome !== 'started') throw refusalOf(answer.outcome, execution, answer.message);
      return {
        requestId: ctx.requestId, action: 'replay', traceId: ctx.traceId, outcome: 'started', instanceId,
        message: `replay started by ${ctx.requestedBy} in ${instanceId}`, ...(answer.traceId ? { newTraceId: answer.traceId } : {}),
      };
    });
    return reply.code(202).send(result);
  });

  app.get('/api/executions/:traceId/replay-input', {
    schema: replayInput,
  }, async (request): Promise<ReplayInput> => {
    const traceId = request.params.traceId.toLowerCase();
    const execution = await storage.executions.get(traceId);
    if (!execution) throw errors.FT_TRACE_NOT_FOUND(traceId);
    const text = await capturedInputText(storage, execution);
    return { traceId, flowId: execution.flowId, serviceName: execution.serviceName, text: text ?? null, incomplete: readCapturedInput(text).incomplete };
  });

  app.get('/api/control', { schema: controlStatus }, async (): Promise<ControlStatus> => ({
    enabled,
    instances: (await router.instances()).map((i) => ({ ...i, connectedAt: new Date(i.connectedAt).toISOString() })),
  }));
}

/** The root span's flow.input, as captured (JSON text, or cut at its cap). */
async function capturedInputText(storage: Storage, execution: ExecutionRecord): Promise<string | undefined> {
  if (!execution.rootSpanId) return undefined;
  const span = await storage.traces.span(execution, execution.rootSpanId);
  if (!span) return undefined;
  const input = (JSON.parse(span.spanJson) as { attributes?: Record<string, unknown> }).attributes?.[ATTR_FLOW_INPUT];
  if (input === undefined || input === null) return undefined;
  return typeof input === 'string' ? input : JSON.stringify(input);
}
