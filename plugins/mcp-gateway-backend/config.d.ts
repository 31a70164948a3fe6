export interface Config {
  /** MCP Gateway for Backstage: who may call it, and what each agent may do. */
  mcpGateway?: {
    /**
     * The agents: every caller must match one, or it is refused.
     * Precedence for a signed-in user: `actor`, then `user`, then `group`.
     */
    agents?: Array<{
      /** Unique id, lowercase letters, digits and dashes. */
      id: string;
      /** What the agent is for; shown to the agent by who_am_i. */
      description?: string;
      /** Who this agent is; any entry may match. */
      principals: Array<
        | {
            /** A service principal subject (static externalAccess tokens; JWKS tokens give external:<sub>). */
            service: string;
          }
        | {
            /** A plugin calling on behalf of a signed-in user, e.g. plugin:portal-ai-chat. */
            actor: string;
          }
        | {
            /** A signed-in user, e.g. user:default/alice. */
            user: string;
          }
        | {
            /** Any signed-in member of this group, e.g. group:default/sre. */
            group: string;
          }
      >;
      /** Which tools the agent may list and call: glob patterns on tool names; deny wins. */
      tools?: {
        allow?: string[];
        deny?: string[];
      };
    }>;
  };
}
