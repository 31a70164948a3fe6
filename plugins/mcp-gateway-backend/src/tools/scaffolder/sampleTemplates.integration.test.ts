import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve as resolvePath } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import {
  startTestGateway,
  TestGateway,
  tokenFor,
  waitForCatalog,
} from '../../__testUtils__/testGateway';

// The sample templates run in the test backend's real scaffolder, called
// over its REST API as any service would: no gateway tool is involved.

const RUNNER = 'template-runner';
// 67 sample entities + 3 cycle fixtures + location entities.
const MIN_ENTITIES = 70;
const TEMPLATES_DIR = resolvePath(
  __dirname,
  '../../../../../examples/templates',
);
const DEPLOY_TOKEN = 'dt-live-7Hq2Zp9LmX4vR8sK';

/** What the form sends for a `ui:field: Secret` value: a mask of its length. */
const masked = (secret: string) => '*'.repeat(secret.length);

interface TaskEvent {
  id: number;
  taskId: string;
  type: 'log' | 'completion' | 'cancelled' | 'recovered';
  body: {
    message: string;
    stepId?: string;
    status?: string;
    output?: Record<string, unknown>;
  };
  createdAt: string;
}

interface TaskRun {
  task: any;
  events: TaskEvent[];
  /** Each step's last status, in the order the steps began. */
  stepStatuses: Record<string, string>;
  /** A step's log lines as the task page shows them (colours removed). */
  log(stepId: string): string[];
  /** The completion event's body: its message and the template's output. */
  completion: TaskEvent['body'];
}

describe('the sample templates in the real scaffolder', () => {
  let gateway: TestGateway;

  const scaffolder = (path: string, body?: unknown) =>
    fetch(`${gateway.baseUrl}/api/scaffolder/v2/${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: {
        authorization: `Bearer ${tokenFor(RUNNER)}`,
        ...(body !== undefined && { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });

  /** Starts a task and waits for it to end. */
  const run = async (
    templateRef: string,
    values: Record<string, unknown>,
    secrets?: Record<string, string>,
  ): Promise<TaskRun> => {
    const created = await scaffolder('tasks', { templateRef, values, secrets });
    expect(created.status).toBe(201);
    const { id } = await created.json();
    let task: any;
    const deadline = Date.now() + 20_000;
    do {
      await new Promise(r => setTimeout(r, 100));
      task = await (await scaffolder(`tasks/${id}`)).json();
    } while (
      !['completed', 'failed', 'cancelled'].includes(task.status) &&
      Date.now() < deadline
    );
    const events: TaskEvent[] = await (
      await scaffolder(`tasks/${id}/events`)
    ).json();
    const stepStatuses: Record<string, string> = {};
    for (const { body } of events) {
      if (body.stepId && body.status) stepStatuses[body.stepId] = body.status;
    }
    return {
      task,
      events,
      stepStatuses,
      log: stepId =>
        events
          .filter(e => e.type === 'log' && e.body.stepId === stepId)
          .map(e => stripVTControlCharacters(e.body.message)),
      completion: events.find(e => e.type === 'completion')!.body,
    };
  };

  beforeAll(async () => {
    gateway = await startTestGateway({ subjects: [RUNNER], agents: [] });
    await waitForCatalog(gateway, tokenFor(RUNNER), MIN_ENTITIES);
  }, 90_000);

  afterAll(() => gateway.stop());

  it('runs new-service to completion from its local skeleton, keeping the deploy token secret', async () => {
    const { task, events, stepStatuses, log, completion } = await run(
      'template:default/new-service',
      {
        name: 'billing-api',
        description: 'Bills customers every month.',
        owner: 'group:default/payments-team',
        language: 'go',
        system: 'payments',
        port: 8443,
        deployToken: masked(DEPLOY_TOKEN),
      },
      { deployToken: DEPLOY_TOKEN },
    );

    // On a failure, this shows the error of the step that failed.
    expect(completion).toEqual({
      message: 'Run completed with status: completed',
      output: {
        links: [
          {
            title: 'System payments',
            icon: 'catalog',
            entityRef: 'system:default/payments',
          },
        ],
        text: [
          {
            title: 'Next steps',
            content: expect.stringContaining(
              'Service **billing-api** was created for owner `group:default/payments-team`',
            ),
          },
        ],
      },
    });
    expect(task.status).toBe('completed');
    // Tasks started by a service principal record no creator.
    expect(task.createdBy).toBeUndefined();
    // `./skeletons/service` is read relative to the template's file location.
    expect(task.spec.templateInfo.baseUrl).toBe(
      `file://${TEMPLATES_DIR}/new-service.yaml`,
    );
    expect(stepStatuses).toEqual({
      'fetch-skeleton': 'completed',
      'write-catalog-info': 'completed',
      'configure-deploy': 'completed',
      'list-workspace': 'completed',
    });
    expect(log('fetch-skeleton')).toEqual(
      expect.arrayContaining([
        'info: Writing file README.md to template output path with mode 33188.',
        'info: Writing file service.yaml to template output path with mode 33188.',
      ]),
    );
    expect(log('write-catalog-info')).toContain(
      'info: Writing catalog-info.yaml',
    );
    expect(log('list-workspace')).toContain(
      'info: Workspace:\n  - README.md\n  - catalog-info.yaml\n  - service.yaml',
    );

    // The step read the token (its message differs with it), so the
    // scaffolder masked the whole message; the token is nowhere to be read.
    expect(log('configure-deploy')).toContain('info: ***');
    expect(task.spec.parameters.deployToken).toBe(masked(DEPLOY_TOKEN));
    for (const written of [task, events, gateway.logs]) {
      expect(JSON.stringify(written)).not.toContain(DEPLOY_TOKEN);
    }
  }, 30_000);

  it.each([
    ['typescript', 'package.json', 'fetch-java'],
    ['java', 'pom.xml', 'fetch-typescript'],
  ])(
    'runs new-library to completion with the %s build file',
    async (language, buildFile, skippedStep) => {
      const { task, stepStatuses, log, completion } = await run(
        'template:default/new-library',
        {
          name: 'money-utils',
          owner: 'group:default/payments-team',
          language,
          version: '1.2.0',
        },
      );

      expect(completion).toEqual({
        message: 'Run completed with status: completed',
        output: {
          text: [
            {
              title: 'Next steps',
              content: expect.stringContaining(
                `Library **money-utils** (${language}) was created for owner \`group:default/payments-team\`.`,
              ),
            },
          ],
        },
      });
      expect(task.status).toBe('completed');
      expect(stepStatuses).toEqual({
        'fetch-skeleton': 'completed',
        [`fetch-${language}`]: 'completed',
        [skippedStep]: 'skipped',
        'write-catalog-info': 'completed',
        publish: 'completed',
      });
      expect(log('publish')).toEqual(
        expect.arrayContaining([
          'info: Would publish money-utils@1.2.0 to the internal registry.',
          `info: Workspace:\n${['CHANGELOG.md', 'README.md', 'catalog-info.yaml', buildFile].map(f => `  - ${f}`).join('\n')}`,
        ]),
      );
    },
    30_000,
  );

  it('refuses values and secrets the template does not accept, before any task starts', async () => {
    const refusal = async (
      templateRef: string,
      values: Record<string, unknown>,
      secrets?: Record<string, string>,
    ) => {
      const response = await scaffolder('tasks', {
        templateRef,
        values,
        secrets,
      });
      expect(response.status).toBe(400);
      const { errors } = await response.json();
      return errors.map((e: { message: string }) => e.message);
    };
    const taskCount = async () =>
      (await (await scaffolder('tasks')).json()).totalTasks;
    const tasksBefore = await taskCount();
    const service = {
      name: 'billing-api',
      owner: 'group:default/payments-team',
      deployToken: masked(DEPLOY_TOKEN),
    };

    expect(
      await refusal('template:default/new-library', {
        name: 'Money_Utils',
        owner: 'group:default/payments-team',
      }),
    ).toEqual(['does not match pattern "^[a-z][a-z0-9-]{1,48}[a-z0-9]$"']);
    expect(
      await refusal('template:default/new-library', {
        name: 'money-utils',
        owner: 'group:default/payments-team',
        language: 'cobol',
      }),
    ).toEqual(['is not one of enum values: typescript,java']);
    expect(
      await refusal(
        'template:default/new-service',
        { ...service, port: 80 },
        { deployToken: DEPLOY_TOKEN },
      ),
    ).toEqual(['must be greater than or equal to 1024']);
    expect(
      await refusal(
        'template:default/new-service',
        { name: 'billing-api', deployToken: masked(DEPLOY_TOKEN) },
        { deployToken: DEPLOY_TOKEN },
      ),
    ).toEqual(['requires property "owner"']);
    // The form's mask alone is not enough: the token itself must come as a secret.
    expect(await refusal('template:default/new-service', service)).toEqual([
      'secrets.deployToken is required',
    ]);
    expect(await taskCount()).toBe(tasksBefore);
  });

  it('dry-runs new-service with its skeleton sent along, answering the files it would write', async () => {
    const template = await (
      await fetch(
        `${gateway.baseUrl}/api/catalog/entities/by-name/template/default/new-service`,
        { headers: { authorization: `Bearer ${tokenFor(RUNNER)}` } },
      )
    ).json();
    // A dry run reads relative urls against the files sent with it, as the
    // template editor sends the template's folder.
    const skeleton = join('skeletons', 'service');
    const directoryContents = readdirSync(join(TEMPLATES_DIR, skeleton)).map(
      file => ({
        path: join(skeleton, file),
        base64Content: readFileSync(
          join(TEMPLATES_DIR, skeleton, file),
        ).toString('base64'),
      }),
    );
    const response = await scaffolder('dry-run', {
      template,
      values: {
        name: 'billing-api',
        owner: 'group:default/payments-team',
        language: 'go',
        system: 'payments',
        port: 8443,
        deployToken: masked(DEPLOY_TOKEN),
      },
      secrets: { deployToken: DEPLOY_TOKEN },
      directoryContents,
    });
    expect(response.status).toBe(200);
    const result = await response.json();

    expect(Object.keys(result).sort()).toEqual([
      'directoryContents',
      'log',
      'output',
      'steps',
    ]);
    const files = Object.fromEntries(
      result.directoryContents.map(
        (f: { path: string; base64Content: string }) => [
          f.path,
          Buffer.from(f.base64Content, 'base64').toString('utf8'),
        ],
      ),
    );
    expect(Object.keys(files).sort()).toEqual([
      'README.md',
      'catalog-info.yaml',
      'service.yaml',
    ]);
    expect(files['service.yaml']).toContain('service: billing-api\n');
    expect(files['service.yaml']).toContain('port: 8443\n');
    expect(files['catalog-info.yaml']).toContain('  name: billing-api\n');
    expect(files['catalog-info.yaml']).toContain(
      'backstage.io/source-template: template:default/dry-run',
    );
    expect(result.output.text[0].content).toContain(
      'Service **billing-api** was created',
    );
    expect(result.steps.map((s: { id: string }) => s.id)).toEqual([
      'fetch-skeleton',
      'write-catalog-info',
      'configure-deploy',
      'list-workspace',
    ]);
    // Dry-run log entries carry only a body, no id, type or time.
    expect(result.log).toContainEqual({
      body: {
        stepId: 'configure-deploy',
        message: expect.stringContaining(
          'Running debug:log in dry-run mode with inputs (secrets redacted)',
        ),
      },
    });
    expect(JSON.stringify(result)).not.toContain(DEPLOY_TOKEN);
  }, 30_000);
});
