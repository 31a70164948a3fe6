import { LoggerService } from '@backstage/backend-plugin-api';
import { Caller } from '../core/caller';
import {
  OperationResource,
  parseOperationResourceRef,
} from '../policy/operationResource';
import { SourcedTool, ToolSource } from '../tools/source';

/**
 * Every source of tools, asked per caller on every listing and call. A
 * source that fails (another plugin's actions, unreachable) offers nothing
 * for now; the other sources keep working.
 */
export class ToolSources {
  constructor(
    private readonly sources: ToolSource[],
    private readonly logger: LoggerService,
  ) {}

  async offeredTo(caller: Caller): Promise<SourcedTool[]> {
    const offered = await Promise.all(
      this.sources.map(source =>
        this.ask(source, () => source.toolsFor(caller), []),
      ),
    );
    return offered.flat();
  }

  async find(caller: Caller, name: string): Promise<SourcedTool | undefined> {
    for (const source of this.sources) {
      const tool = await this.ask(
        source,
        () => source.toolFor(caller, name),
        undefined,
      );
      if (tool) return tool;
    }
    return undefined;
  }

  /** The permission framework loads an operation by its resource ref. */
  async resourceOf(ref: string): Promise<OperationResource | undefined> {
    const parsed = parseOperationResourceRef(ref);
    if (!parsed || parsed.kind !== 'tool') return undefined;
    for (const source of this.sources) {
      const operation = await this.ask(
        source,
        () => source.operationNamed(parsed.name),
        undefined,
      );
      if (operation) return { agentId: parsed.agentId, ...operation };
    }
    return undefined;
  }

  private async ask<T>(
    source: ToolSource,
    question: () => Promise<T>,
    nothing: T,
  ): Promise<T> {
    try {
      return await question();
    } catch (error) {
      this.logger.warn(
        `Tool source '${source.id}' failed; it offers no tools for now`,
        error instanceof Error ? error : new Error(String(error)),
      );
      return nothing;
    }
  }
}
