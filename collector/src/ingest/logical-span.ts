/**
 * The one place a logical span (storage's IngestSpan) is built, for finished spans
 * (convert-spans.ts) and for running spans from start marks (convert-logs.ts) alike, so the two
 * can never disagree about a field.
 */
import type { AttributeList, FlowFields, IngestSpan } from '../storage/index.js';
import type { ResourceContext, ScopeContext } from './convert-common.js';

/**
 * A logical span of a resource and scope, its flow fields and attributes given, every other
 * field empty: a converter fills in what it found (every field exists from the start, so
 * filling keeps one object shape and builds no other object).
 */
export function logicalSpan(res: ResourceContext, scope: ScopeContext, flow: FlowFields, attributes: AttributeList): IngestSpan {
  return {
    traceId: '',
    spanId: '',
    parentSpanId: null,
    traceState: null,
    name: '',
    kind: 0,
    serviceName: res.serviceName,
    startTimeUnixNano: 0n,
    endTimeUnixNano: null,
    statusCode: 0,
    statusMessage: null,
    exceptionMessage: null,
    attributes,
    resourceAttributes: res.resourceAttributes,
    scopeName: scope.name,
    scopeVersion: scope.version,
    events: '[]',
    links: '[]',
    flags: 0,
    droppedAttributesCount: 0,
    droppedEventsCount: 0,
    droppedLinksCount: 0,
    executionKind: flow.executionKind,
    flowId: flow.flowId,
    flowName: flow.flowName,
    flowVersion: flow.flowVersion,
    triggerType: flow.triggerType,
    userId: flow.userId,
    nodeId: flow.nodeId,
    nodeName: flow.nodeName,
    nodeType: flow.nodeType,
    nodeIndex: flow.nodeIndex,
    flowStatus: flow.flowStatus,
    errorNodeId: flow.errorNodeId,
    resourceSchemaUrl: res.schemaUrl,
    resourceDroppedAttributesCount: res.droppedAttributesCount,
    scopeAttributes: scope.attributes,
    scopeDroppedAttributesCount: scope.droppedAttributesCount,
    scopeSchemaUrl: scope.schemaUrl,
    valueTypes: null,
  };
}
