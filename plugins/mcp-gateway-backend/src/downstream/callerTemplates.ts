import { UrlReaderService } from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { NotFoundError } from '@backstage/errors';
import { FilterPredicate } from '@backstage/filter-predicates';
import { ScaffolderService } from '@backstage/plugin-scaffolder-node';
import { Caller } from '../core/caller';
import { isTemplateAllowed } from '../policy/templatePolicy';
import { CallerCatalog } from './callerCatalog';
import { readTemplateDirectory, TemplateFile } from './templateDirectory';

/** A template's parameters, one schema per form step. */
export type TemplateParameterSchema = Awaited<
  ReturnType<ScaffolderService['getTemplateParameterSchema']>
>;

/** More templates than this in one catalog is not a use this listing serves. */
const MAX_TEMPLATES = 2000;

/** What a listing reads of each template entity. */
const TEMPLATE_FIELDS = [
  'kind',
  'metadata.name',
  'metadata.namespace',
  'metadata.title',
  'metadata.description',
  'metadata.tags',
  'spec.owner',
  'spec.type',
  'spec.parameters',
];

/**
 * Templates as an agent sees them, bound to one call: only those its
 * `templates.allow` names and its caller may see in the catalog (anything
 * else is neither shown nor counted), and parameter schemas read from the
 * scaffolder with the caller's credentials.
 */
export class CallerTemplates {
  constructor(
    private readonly scaffolder: ScaffolderService,
    private readonly catalog: CallerCatalog,
    private readonly caller: Caller,
    private readonly urlReader: UrlReaderService,
  ) {}

  /** Every template the agent may run, matching the filter, ordered by ref. */
  async list(filter: { tag?: string; owner?: string } = {}): Promise<Entity[]> {
    const query: FilterPredicate = {
      kind: 'template',
      ...(filter.tag && { 'metadata.tags': filter.tag }),
      ...(filter.owner && { 'relations.ownedBy': filter.owner }),
    };
    const allowed: Entity[] = [];
    for await (const page of this.catalog.stream({
      query,
      fields: TEMPLATE_FIELDS,
    })) {
      for (const entity of page) {
        if (isTemplateAllowed(this.caller.agent, stringifyEntityRef(entity))) {
          allowed.push(entity);
        }
      }
      if (allowed.length >= MAX_TEMPLATES) break;
    }
    return allowed
      .sort((a, b) =>
        stringifyEntityRef(a).localeCompare(stringifyEntityRef(b)),
      )
      .slice(0, MAX_TEMPLATES);
  }

  /**
   * The template's parameters as the scaffolder's form reads them. The
   * corridor has checked templates.allow; the template must also be one
   * the agent can see in the catalog, or it is "not found".
   */
  async parameterSchema(templateRef: string): Promise<TemplateParameterSchema> {
    if (!(await this.catalog.getByRef(templateRef))) {
      throw notVisible(templateRef);
    }
    return this.scaffolder.getTemplateParameterSchema(
      { templateRef },
      { credentials: this.caller.credentials },
    );
  }

  /**
   * What running a template needs: its parameters as the scaffolder's form
   * reads them, and the template entity itself (its secrets schema, and
   * the definition a dry run sends).
   */
  async definition(
    templateRef: string,
  ): Promise<{ parameters: TemplateParameterSchema; template: Entity }> {
    const template = await this.catalog.getForService(templateRef);
    if (!template) throw notVisible(templateRef);
    const parameters = await this.scaffolder.getTemplateParameterSchema(
      { templateRef },
      { credentials: this.caller.credentials },
    );
    return { parameters, template };
  }

  /** The files next to the template, which its dry run is sent along with. */
  files(template: Entity): Promise<TemplateFile[]> {
    return readTemplateDirectory(template, this.urlReader);
  }
}

function notVisible(templateRef: string) {
  return new NotFoundError(
    `No template ${templateRef} is visible to this agent.`,
  );
}
