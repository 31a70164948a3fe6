import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { NotFoundError } from '@backstage/errors';
import { ActionsService } from '@backstage/backend-plugin-api/alpha';
import { JsonObject, JsonValue } from '@backstage/types';
import { Caller } from '../../core/caller';
import { isJsonObject } from '../../core/isJsonObject';
import { GatewayRefusal } from '../../core/refusal';
import { CallerDataPolicy } from '../../policy/callerDataPolicy';
import { entityRefIn, isEntity } from './payloadEntities';

/** Larger answers are refused rather than handed to a model. */
export const MAX_ACTION_OUTPUT_BYTES = 1024 * 1024;

/**
 * Other plugins' actions, invoked for one caller: with its credentials
 * (the actions service mints a plugin token on its behalf; the plugin
 * checks the caller's permissions), never naming an entity the agent may
 * not see, and with the agent's data policy on what comes back: entities
 * in the output redacted and their hidden relations elided, and entities
 * or refs the caller may not see replaced by placeholders.
 */
export class CallerActions {
  constructor(
    private readonly actions: ActionsService,
    private readonly caller: Caller,
    private readonly policy: CallerDataPolicy,
  ) {}

  async invoke(
    actionId: string,
    input: JsonObject,
  ): Promise<Record<string, unknown>> {
    await this.refuseHiddenRefs(input);
    const { output } = await this.actions.invoke({
      id: actionId,
      input,
      credentials: this.caller.credentials,
    });
    const size = Buffer.byteLength(JSON.stringify(output) ?? '');
    if (size > MAX_ACTION_OUTPUT_BYTES) {
      throw new GatewayRefusal(
        'operation',
        'output-too-large',
        `The action answered with ${size} bytes, more than the ${MAX_ACTION_OUTPUT_BYTES} the gateway passes on; ask for less.`,
      );
    }
    const shaped = await this.shape(output ?? {});
    // structuredContent is an object: a bare value is wrapped.
    return isJsonObject(shaped) ? shaped : { output: shaped };
  }

  /** An action acts on what its input names: nothing the agent may not see. */
  private async refuseHiddenRefs(input: JsonObject) {
    const named = new Map<string, string>();
    walk(input, value => {
      const ref = typeof value === 'string' ? entityRefIn(value) : undefined;
      if (ref) named.set(ref, value as string);
      return true;
    });
    if (named.size === 0) return;
    const hidden = await this.policy.hiddenRefs([...named.keys()]);
    const [first] = hidden;
    if (first) {
      throw new NotFoundError(
        `No entity ${named.get(first)} is visible to this agent.`,
      );
    }
  }

  private async shape(output: JsonValue): Promise<JsonValue> {
    const entities: Entity[] = [];
    const refs = new Set<string>();
    walk(output, value => {
      if (isEntity(value)) {
        entities.push(value);
        refs.add(stringifyEntityRef(value).toLowerCase());
        // Its own fields are released with it, below.
        return false;
      }
      const ref = typeof value === 'string' ? entityRefIn(value) : undefined;
      if (ref) refs.add(ref);
      return true;
    });
    if (refs.size === 0) return output;
    const hidden = await this.policy.hiddenRefs([...refs]);
    const visible = entities.filter(
      entity => !hidden.has(stringifyEntityRef(entity).toLowerCase()),
    );
    const released = new Map<Entity, Entity>();
    (await this.policy.release(visible)).forEach((entity, i) =>
      released.set(visible[i], entity),
    );
    const replace = (value: JsonValue): JsonValue => {
      if (isEntity(value)) {
        return (
          (released.get(value) as unknown as JsonValue) ??
          this.policy.placeholderFor(stringifyEntityRef(value).toLowerCase())
        );
      }
      if (typeof value === 'string') {
        const ref = entityRefIn(value);
        return ref && hidden.has(ref) ? this.policy.placeholderFor(ref) : value;
      }
      if (Array.isArray(value)) return value.map(replace);
      if (isJsonObject(value)) {
        return Object.fromEntries(
          Object.entries(value).map(([key, inner]) => [
            key,
            replace(inner as JsonValue),
          ]),
        );
      }
      return value;
    };
    return replace(output);
  }
}

/** Visits every value; `visit` returning false skips what is inside one. */
function walk(value: unknown, visit: (value: unknown) => boolean) {
  if (!visit(value)) return;
  if (Array.isArray(value)) {
    value.forEach(inner => walk(inner, visit));
  } else if (isJsonObject(value)) {
    Object.values(value).forEach(inner => walk(inner, visit));
  }
}
