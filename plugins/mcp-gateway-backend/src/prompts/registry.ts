import { catalogHygienePrompt } from './catalogHygiene';
import { incidentResponsePrompt } from './incidentResponse';
import { onboardingPrompt } from './onboarding';
import { GatewayPrompt } from './types';

/** Every prompt the gateway serves. */
export const ALL_PROMPTS: GatewayPrompt[] = [
  incidentResponsePrompt,
  onboardingPrompt,
  catalogHygienePrompt,
];
