import { AgentConfig } from '../config/gatewayConfig';
import { compiledList } from '../config/patterns';
import { clip } from '../config/untrustedText';
import { GatedCall, Gate } from '../core/gate';
import { GatewayRefusal } from '../core/refusal';
import {
  LocationSafetyOptions,
  locationSafetyProblem,
} from './locations/locationSafety';
import { canonicalLocationUrl, canonicalTemplateRef } from './operationTargets';
import { isTemplateAllowed } from './templatePolicy';

const STAGE = 'policy';

/**
 * The allowlists on what a call acts on, decided on its validated input
 * before it runs: the template it runs (`templates.allow`), the location
 * it registers (`locations.allow`, then the SSRF guard).
 */
export class TargetPolicyGate implements Gate {
  readonly stage = STAGE;
  readonly appliesTo = 'call';

  constructor(
    /** The SSRF guard's options as the config in force says. */
    private readonly locationSafety: () => LocationSafetyOptions,
  ) {}

  async decideInput({
    caller: { agent },
    targets,
  }: GatedCall): Promise<GatewayRefusal | undefined> {
    if (targets.template !== undefined) {
      const refusal = templateRefusal(agent, targets.template);
      if (refusal) return refusal;
    }
    if (targets.location !== undefined) {
      return this.locationRefusal(agent, targets.location);
    }
    return undefined;
  }

  private async locationRefusal(agent: AgentConfig, url: string) {
    const canonical = canonicalLocationUrl(url);
    if (canonical !== undefined) {
      const allowed = compiledList(agent.locations.allow).some(pattern =>
        pattern.test(canonical),
      );
      if (!allowed) {
        return new GatewayRefusal(
          STAGE,
          'location-not-allowed',
          `Agent '${agent.id}' may not register location '${clip(
            canonical,
          )}' (${agent.configKey}.locations.allow names no pattern that matches it).`,
        );
      }
    }
    // Checked after the allowlist, so an agent cannot make the gateway
    // resolve names no pattern allows.
    const unsafe = await locationSafetyProblem(url, this.locationSafety());
    return unsafe && new GatewayRefusal(STAGE, unsafe.code, unsafe.message);
  }
}

function templateRefusal(agent: AgentConfig, ref: string) {
  if (isTemplateAllowed(agent, ref)) return undefined;
  return new GatewayRefusal(
    STAGE,
    'template-not-allowed',
    `Agent '${agent.id}' may not run template '${clip(
      canonicalTemplateRef(ref) ?? ref,
    )}' (${agent.configKey}.templates.allow names no pattern that matches it).`,
  );
}
