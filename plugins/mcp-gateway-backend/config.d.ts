export interface Config {
  /**
   * MCP Gateway for Backstage: who may call it, and what each agent may do.
   * Re-read when the config source reloads; an invalid reload is refused
   * and the last valid config stays in force.
   */
  mcpGateway?: {
    /**
     * The agents. Every authenticated caller must match one (or get
     * `defaultAgent`), or it is refused. Precedence for a signed-in user:
     * `actor`, then `user`, then `group` (the first listed agent wins).
     */
    agents?: Array<
      {
        /** Unique id, lowercase letters, digits and dashes (`default` is reserved). */
        id: string;
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
      } & McpGatewayAgentPolicy
    >;
    /** The policy for authenticated callers that match no agent; without it they are refused. */
    defaultAgent?: McpGatewayAgentPolicy;
    /**
     * Browser origins (scheme://host[:port], patterns allowed) that may call
     * the endpoint besides the backend's and the app's base URLs and
     * backend.cors.origin. A request with any other Origin header gets 403.
     */
    allowedOrigins?: string[];
    /**
     * The global kill switch: true stops every agent (default false). The
     * admin API can engage and release it at run time too; either stops.
     */
    killSwitch?: boolean;
    /**
     * Who may use the admin API at /api/mcp-gateway/admin. Users (directly
     * or through a group) must also be allowed `mcp-gateway.admin` by the
     * permission policy. Agent tokens are never admins unless listed here.
     */
    admins?: Array<
      | {
          /** A service principal subject. */
          service: string;
        }
      | {
          /** A signed-in user, e.g. user:default/alice. */
          user: string;
        }
      | {
          /** Any signed-in member of this group, e.g. group:default/platform. */
          group: string;
        }
    >;
    /**
     * The gateway's own entity in the catalog: an MCP server API entity
     * (`kind: API`, `spec.type: mcp-server`), which is how Spotify Portal
     * finds MCP servers. Added by the catalog module the package installs.
     */
    catalogEntity?: {
      /** false registers no entity, and removes one registered before (default true). */
      enabled?: boolean;
      /** The entity's name, in namespace default (default `mcp-gateway`). */
      name?: string;
      /** Default `MCP Gateway`. */
      title?: string;
      /**
       * The entity's and the MCP server definition's description. Default:
       * "Backstage as MCP tools for AI agents, with per-agent identity, policy and audit."
       */
      description?: string;
      /** The owning group or user, e.g. group:default/platform. Required unless `enabled: false`. */
      owner?: string;
      /** Default `production`: Portal offers only production MCP servers. */
      lifecycle?: string;
      /** The system the gateway belongs to, e.g. system:default/developer-platform. */
      system?: string;
      /**
       * The namespaced server name in the definition, e.g. `com.example/backstage`.
       * Default: the gateway's external host reversed, then the name
       * (`backstage.example.com` -> `com.example.backstage/mcp-gateway`).
       */
      serverName?: string;
    };
    /** The durable audit trail in the plugin's database. */
    audit?: {
      /**
       * `closed` (default): a request whose record cannot be written is
       * refused. `open`: reads still run unaudited; writes never do.
       */
      failurePolicy?: 'closed' | 'open';
      /** Days to keep records (default 90); one replica deletes older ones daily. */
      retentionDays?: number;
    };
    /**
     * The SSRF guard of `register_location`: location URLs must be http(s),
     * readable by the catalog (`backend.reading.allow` or an integration
     * host) and resolve to public addresses only.
     */
    locationGuard?: {
      /**
       * Hosts exempt from the public-address check (an internal Git server):
       * `ghe.acme.internal`, `*.acme.internal`, `10.0.0.5`, `[fd00::1]`, each
       * with an optional `:port`.
       */
      allowedHosts?: string[];
    };
    /** What the `search` tool tells agents about this Backstage's search. */
    search?: {
      /**
       * The document types your search backend's collators index, as the
       * `search` tool's description lists them (Backstage has no API that
       * lists them). Default: software-catalog and techdocs.
       */
      types?: Array<{
        /** The type as the collator names it, e.g. `adr` or `stack-overflow`. */
        type: string;
        /** What its documents are, for the model, e.g. "architecture decision records". */
        description: string;
      }>;
    };
    /**
     * Other plugins' actions (Backstage's actions registry, the plugins in
     * `backend.actions.pluginSources`) served as tools named
     * `action_<plugin>_<name>`, under each agent's policy like every tool.
     */
    actions?: {
      /** Off by default. */
      enabled?: boolean;
      /** Action ids (`<plugin id>:<action name>`) to serve. Default: `['*']`. */
      include?: string[];
      /** Action ids never to serve, whatever `include` says. */
      exclude?: string[];
      /** How often each replica reads the list of actions again. Default: 30. */
      refreshSeconds?: number;
    };
  };
}

/*
 * Patterns, in every list below: `*` matches any run of characters except
 * `/`, `**` any run including `/`; every other character stands for itself.
 * `!`, `?`, brackets, braces and parentheses are refused.
 */

/** What an agent may do. Every key is closed by default. */
interface McpGatewayAgentPolicy {
  /** What the agent is for; who_am_i shows it to the agent. */
  description?: string;
  /** false refuses every call (default true). */
  enabled?: boolean;
  /** No write tool, whatever tools.allow says (default true). */
  readOnly?: boolean;
  /** Which tools the agent may list and call: patterns on tool names; deny wins (default: none). */
  tools?: {
    allow?: string[];
    deny?: string[];
  };
  /** Which templates run_template may run, e.g. template:default/new-service (patterns allowed). */
  templates?: {
    allow?: string[];
    /**
     * Which scaffolder tasks get_task and cancel_task reach. `own` (default):
     * the tasks this agent started for the same caller, and the signed-in
     * user's own tasks. `all`: every task the caller may read in the scaffolder.
     */
    tasks?: 'own' | 'all';
  };
  /** Which URLs register_location may register, e.g. https://github.com/acme/** (patterns allowed). */
  locations?: {
    allow?: string[];
  };
  /**
   * Which kinds of MCP resource the agent may list and read: `entity`
   * (backstage://entity/...) and `techdocs` (backstage://techdocs/...),
   * patterns allowed. Default: none.
   */
  resources?: {
    allow?: string[];
  };
  /**
   * Which MCP prompts the agent may get (patterns allowed). Default: every
   * prompt whose tools and resources the agent may all use; a prompt that
   * names anything the agent may not use is never listed, whatever this says.
   */
  prompts?: {
    allow?: string[];
  };
  /** What the agent may see at all; applied inside every catalog query. */
  entities?: {
    /** Only these kinds (default: all). */
    kinds?: string[];
    /** Only these namespaces (default: all). */
    namespaces?: string[];
    exclude?: {
      kinds?: string[];
      namespaces?: string[];
      tags?: string[];
    };
  };
  /**
   * Entity field paths whose values are replaced by "[redacted]" in every
   * output, e.g. spec.profile.email or metadata.annotations.vault.example.com/*.
   */
  redact?: string[];
  /** Call rate for this agent. */
  rateLimit?: {
    requests: number;
    per: 'second' | 'minute' | 'hour' | 'day';
    /** Of those, at most this many write calls. */
    writes?: number;
  };
}
