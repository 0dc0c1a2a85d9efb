/**
 * How a control request ended, one word per way (the `outcome` column of control_log), and
 * the coded error each refusal answers with. One table, so the log and the API never disagree.
 */
import { errors, type FlowtraceError } from '../errors.js';
import type { ExecutionRecord } from '../storage/index.js';
import type { InstanceAnswer } from './hub.js';

/** control_log.outcome of each coded refusal. */
export const OUTCOME_OF_CODE: Readonly<Record<string, string>> = {
  FT_TRACE_NOT_FOUND: 'not_found',
  FT_EXECUTION_FINISHED: 'already_finished',
  FT_CONTROL_NO_INSTANCE: 'no_instance',
  FT_CONTROL_NOT_ALLOWED: 'not_allowed',
  FT_CONTROL_NOT_RUNNING: 'not_running',
  FT_CONTROL_CONNECTION_LOST: 'connection_lost',
  FT_CONTROL_NO_ANSWER: 'no_answer',
  FT_CONTROL_FAILED: 'failed',
  FT_REPLAY_INPUT_INCOMPLETE: 'input_incomplete',
  FT_BAD_REQUEST: 'bad_request',
};

/**
 * What a cancel sent to every allowed instance came to: cancelled if one cancelled it (only
 * one runs it); else a no-op if one had cancelled it before; else the first way it failed, a
 * lost connection or silence before "not running here".
 */
export function cancelOutcome(answers: Array<{ id: string; answer: InstanceAnswer }>): { outcome: string; instanceId?: string } {
  const find = (test: (a: InstanceAnswer) => boolean) => answers.find((x) => test(x.answer));
  const answered = (outcome: string) => find((a) => a.kind === 'answered' && a.outcome === outcome);
  for (const outcome of ['cancelled', 'already_cancelled']) {
    const hit = answered(outcome);
    if (hit) return { outcome, instanceId: hit.id };
  }
  const lost = find((a) => a.kind === 'lost');
  if (lost) return { outcome: 'connection_lost', instanceId: lost.id };
  const silent = find((a) => a.kind === 'timeout');
  if (silent) return { outcome: 'no_answer', instanceId: silent.id };
  const refused = answered('not_allowed');
  if (refused) return { outcome: 'not_allowed', instanceId: refused.id };
  return { outcome: 'not_running' };
}

/** The coded error of a refused or failed request. */
export function refusalOf(outcome: string, execution: ExecutionRecord, detail?: string): FlowtraceError {
  const service = execution.serviceName;
  switch (outcome) {
    case 'connection_lost': return errors.FT_CONTROL_CONNECTION_LOST(`${service} disconnected; the request may not have been carried out`);
    case 'no_answer': return errors.FT_CONTROL_NO_ANSWER(`${service} did not answer`);
    case 'not_allowed': return errors.FT_CONTROL_NOT_ALLOWED(detail ?? `${service} refused it`);
    case 'not_running': return errors.FT_CONTROL_NOT_RUNNING(`no connected instance of ${service} runs it (it may have just ended)`);
    default: return errors.FT_CONTROL_FAILED(detail ?? `${service} answered ${outcome}`);
  }
}
