/**
 * Filter suggestions from the API: flow names, services, users and attribute keys with
 * their frequent values. Loaded once per page visit; failures leave the lists empty
 * (suggestions are a help, the filters still work without them).
 */
import { listAttributes, listFlows, listServices } from '../api/endpoints.js';
import { api } from './auth.svelte.js';

export class SuggestionsState {
  flows = $state.raw<string[]>([]);
  services = $state.raw<string[]>([]);
  users = $state.raw<string[]>([]);
  attributes = $state.raw<Array<{ key: string; topValues: string[] }>>([]);

  async load(): Promise<void> {
    const [flows, services, attrs] = await Promise.allSettled([listFlows(api), listServices(api), listAttributes(api)]);
    if (flows.status === 'fulfilled') this.flows = flows.value.map((f) => f.flowName).sort();
    if (services.status === 'fulfilled') this.services = services.value.sort();
    if (attrs.status === 'fulfilled') {
      this.attributes = attrs.value.map((a) => ({ key: a.key, topValues: a.topValues }));
      this.users = attrs.value.find((a) => a.key === 'enduser.id')?.topValues ?? [];
    }
  }

  /** `key=value` suggestions for the attribute filter. */
  attributePairs(): string[] {
    const out: string[] = [];
    for (const a of this.attributes) {
      if (a.key.startsWith('flow.node.input') || a.key.endsWith('.input') || a.key.endsWith('.output')) continue;
      for (const v of a.topValues.slice(0, 5)) out.push(`${a.key}=${v}`);
    }
    return out.slice(0, 200);
  }
}
