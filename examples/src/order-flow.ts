/**
 * The order-processing flow: validate → check stock in 50 warehouses in parallel → price →
 * charge (random failures, retried) → notify (slow, skipped when the customer opted out).
 * Options in the input make runs deterministic for tests and varied for the demo.
 */
import { defineFlow, node, runNode, skipNode, type FlowContext, type FlowSpec } from '@flowtrace/instrumentation';
import { sleep } from './service-main.js';

export interface OrderItem { sku: string; qty: number; price: number }

/** Input of one order run. */
export interface OrderInput {
  orderId: string;
  customerId: string;
  items: OrderItem[];
  card?: { number: string; cvv: string };
  /** Customer does not want e-mails: the notify node is skipped. */
  optOut?: boolean;
  /** Test and demo knobs. */
  chargeFailRate?: number;
  /** Milliseconds the notify node takes (default: random 100–600). */
  notifyMs?: number;
  /** Number of warehouses to check in parallel (default 50). */
  warehouses?: number;
}

export interface OrderOutput { orderId: string; total: number; chargeId: string; notified: boolean }

class PaymentError extends Error {
  override name = 'PaymentError';
  constructor(message: string, readonly retryable: boolean) { super(message); }
}

const rand = (min: number, max: number): number => min + Math.floor(Math.random() * (max - min));

/**
 * Identity of the flow. Its runs may be cancelled and replayed from the viewer when the service
 * holds a control connection (FLOWTRACE_CONTROL=1) to a collector started with --control-token.
 */
export const orderFlowSpec: FlowSpec = { id: 'process-order', name: 'process-order', version: '2', control: { cancel: true, replay: true } };

/** The flow's body; run it inside a flow run (see {@link orderFlow}). */
export async function processOrder(input: OrderInput, ctx: FlowContext): Promise<OrderOutput> {
  await runNode({ id: 'validate', name: 'validate', type: 'code' }, input.items, async (items) => {
    console.log(`validating order ${input.orderId} with ${items.length} items`);
    if (items.length === 0) throw new RangeError('order has no items');
    for (const item of items) if (!(item.qty > 0)) throw new RangeError(`bad quantity ${item.qty} for ${item.sku}`);
    return { valid: true };
  });

  const count = input.warehouses ?? 50;
  const stock = await Promise.all(Array.from({ length: count }, (_, i) =>
    runNode({ id: `stock-${i}`, name: 'check-stock', type: 'inventory' }, { warehouse: `wh-${i}`, skus: input.items.map((x) => x.sku) }, async (q, n) => {
      await sleep(rand(5, 60), n.signal);
      return { warehouse: q.warehouse, available: Math.random() > 0.1 };
    })));
  const available = stock.filter((s) => s.available).length;

  const priced = await runNode({ id: 'price', name: 'price', type: 'code' }, { items: input.items, available }, async ({ items }) => {
    const subtotal = items.reduce((sum, x) => sum + x.qty * x.price, 0);
    const tax = Math.round(subtotal * 0.2 * 100) / 100;
    console.info(`subtotal ${subtotal}, tax ${tax}, ${available}/${count} warehouses have stock`);
    await sleep(rand(5, 30), ctx.signal);
    return { subtotal, tax, total: subtotal + tax };
  });

  const failRate = input.chargeFailRate ?? 0.2;
  let chargeId = '';
  for (let attempt = 1; ; attempt++) {
    try {
      chargeId = await runNode({ id: 'charge', name: 'charge', type: 'payment' }, { amount: priced.total, card: input.card, attempt }, async (req, n) => {
        await sleep(rand(30, 150), n.signal);
        if (Math.random() < failRate) {
          const retryable = Math.random() < 0.7;
          throw new PaymentError(retryable ? 'payment gateway timeout' : 'card declined', retryable);
        }
        return `ch_${Math.random().toString(36).slice(2, 10)}`;
      });
      break;
    } catch (err) {
      if (!(err instanceof PaymentError) || !err.retryable || attempt >= 3) throw err;
      console.warn(`charge attempt ${attempt} failed (${err.message}), retrying`);
      await sleep(50 * attempt, ctx.signal);
    }
  }

  let notified = false;
  if (input.optOut) skipNode({ id: 'notify', name: 'notify', type: 'email' }, 'customer opted out of e-mails');
  else {
    await node({ id: 'notify', name: 'notify', type: 'email' }, async (n) => {
      console.log(`sending confirmation for ${input.orderId} to customer ${input.customerId}`);
      await sleep(input.notifyMs ?? rand(100, 600), n.signal);
      notified = true;
      return { to: input.customerId, template: 'order-confirmed' };
    });
  }
  return { orderId: input.orderId, total: priced.total, chargeId, notified };
}

/** The flow; run it with `orderFlow.run(input, { trigger, userId, signal, timeoutMs })`. */
export const orderFlow = defineFlow(orderFlowSpec, processOrder);
