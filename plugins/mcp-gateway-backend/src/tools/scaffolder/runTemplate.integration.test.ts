import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { answerOf, signInAs, ToolAnswer } from '../../testUtils';
import {
  messagesOf,
  startTestGateway,
  TestGateway,
  tokenFor,
  waitForCatalog,
} from '../../__testUtils__/testGateway';

const DEPLOY_TOKEN = 'dt-live-9Xc4Qw7RbN2mT5vJ';
const TASK_TOOLS = ['run_template', 'get_task', 'list_tasks', 'cancel_task'];

const automation = (id: string, policy: Record<string, unknown> = {}) => ({
  id,
  principals: [{ service: id }],
  readOnly: false,
  tools: { allow: [...TASK_TOOLS, 'list_templates', 'get_template'] },
  templates: {
    allow: ['template:default/new-service', 'template:default/slow-task'],
  },
  ...policy,
});

/** Valid values for new-service, its deploy token sent apart. */
const SERVICE = {
  templateRef: 'new-service',
  values: {
    name: 'billing-api',
    description: 'Bills customers every month.',
    owner: 'group:default/payments-team',
    system: 'payments',
    port: 8443,
  },
  secrets: { deployToken: DEPLOY_TOKEN },
};

describe('run_template, get_task, list_tasks and cancel_task', () => {
  let gateway: TestGateway;
  /** Every answer any test read, searched for the deploy token at the end. */
  const answers: ToolAnswer[] = [];

  const call = async (
    subject: string,
    tool: string,
    args: Record<string, unknown> = {},
  ) => {
    const answer = await gateway.call(subject, tool, args);
    answers.push(answer);
    return answer;
  };

  /** get_task until the task reaches the status (or 20 seconds pass). */
  const taskOnceIn = async (status: string, taskId: string) => {
    const deadline = Date.now() + 20_000;
    let task: ToolAnswer;
    do {
      await new Promise(resolve => setTimeout(resolve, 250));
      task = await call('automation', 'get_task', { taskId });
    } while (task.data.status !== status && Date.now() < deadline);
    return task;
  };

  /** Every task the scaffolder holds, as a service sees them over REST. */
  const scaffolderTaskCount = async () => {
    const response = await fetch(`${gateway.baseUrl}/api/scaffolder/v2/tasks`, {
      headers: { authorization: `Bearer ${tokenFor('automation')}` },
    });
    return (await response.json()).totalTasks as number;
  };

  beforeAll(async () => {
    gateway = await startTestGateway({
      subjects: ['automation', 'other-automation', 'task-admin', 'reader'],
      users: true,
      fixtures: ['slowTemplate.yaml'],
      agents: [
        automation('automation'),
        automation('other-automation'),
        automation('task-admin', {
          templates: { allow: [], tasks: 'all' },
          tools: { allow: ['get_task', 'cancel_task'] },
        }),
        {
          id: 'reader',
          principals: [{ service: 'reader' }],
          tools: { allow: ['*'] },
        },
        {
          ...automation('platform-devs'),
          principals: [{ group: 'group:default/platform' }],
        },
      ],
    });
    await waitForCatalog(gateway, tokenFor('automation'), 71);
  }, 90_000);

  afterAll(async () => {
    // Tasks still running when the backend stops would log into a torn-down test.
    const deadline = Date.now() + 15_000;
    while (Date.now() < deadline) {
      const response = await fetch(
        `${gateway.baseUrl}/api/scaffolder/v2/tasks?status=open&status=processing`,
        { headers: { authorization: `Bearer ${tokenFor('automation')}` } },
      );
      if ((await response.json()).totalTasks === 0) break;
      await new Promise(resolve => setTimeout(resolve, 200));
    }
    await gateway.stop();
  });

  it('runs an allowlisted template to completion; get_task shows its steps, output and log', async () => {
    const run = await call('automation', 'run_template', {
      ...SERVICE,
      waitSeconds: 30,
    });
    expect(run.isError).toBe(false);
    expect(run.data).toMatchObject({
      dryRun: false,
      templateRef: 'template:default/new-service',
      status: 'completed',
      steps: [
        { id: 'fetch-skeleton', status: 'completed' },
        { id: 'write-catalog-info', status: 'completed' },
        { id: 'configure-deploy', status: 'completed' },
        { id: 'list-workspace', status: 'completed' },
      ],
      output: {
        links: [
          { title: 'System payments', entityRef: 'system:default/payments' },
        ],
      },
    });
    const { taskId } = run.data;
    expect(run.text).toContain(
      `Task ${taskId} (template:default/new-service): completed`,
    );

    const task = await call('automation', 'get_task', { taskId });
    expect(task.data).toMatchObject({ taskId, status: 'completed' });
    expect(task.data.output.text[0].content).toContain(
      'Service **billing-api** was created for owner `group:default/payments-team`',
    );
    expect(task.data.log).toContainEqual({
      id: expect.any(Number),
      step: 'Write catalog entity',
      message: 'info: Writing catalog-info.yaml',
    });
    // The language's default (go) was filled in, as the scaffolder's form does.
    expect(task.text).toContain('"language":"go"');
    expect(task.text).toContain('- System payments: system:default/payments');

    // Only the lines after a cursor.
    const later = await call('automation', 'get_task', {
      taskId,
      after: task.data.log[task.data.log.length - 2].id,
    });
    expect(later.data.log).toEqual([task.data.log[task.data.log.length - 1]]);

    const listed = await call('automation', 'list_tasks', {});
    expect(listed.data.items[0]).toMatchObject({
      taskId,
      templateRef: 'template:default/new-service',
      status: 'completed',
    });
  }, 60_000);

  it('returns at once without waitSeconds, and the task goes on', async () => {
    const run = await call('automation', 'run_template', {
      templateRef: 'slow-task',
      values: { seconds: 1 },
    });
    expect(['open', 'processing']).toContain(run.data.status);
    const task = await taskOnceIn('completed', run.data.taskId);
    expect(task.data.status).toBe('completed');
  }, 30_000);

  it('refuses a template outside templates.allow, and no task is created', async () => {
    const before = await scaffolderTaskCount();
    const answer = await call('automation', 'run_template', {
      templateRef: 'template:default/new-library',
      values: { name: 'money-utils', owner: 'group:default/payments-team' },
    });
    expect(answer.isError).toBe(true);
    const [record] = await gateway.auditRecords({
      agent: 'automation',
      tool: 'run_template',
    });
    expect(record).toMatchObject({
      decision: 'refused',
      reason: 'template-not-allowed',
    });
    expect(await scaffolderTaskCount()).toBe(before);
  });

  it('names every missing or invalid field in one error, and creates no task', async () => {
    const before = await scaffolderTaskCount();
    const answer = await call('automation', 'run_template', {
      templateRef: 'new-service',
      values: {
        name: 'Billing_API',
        port: 80,
        language: 'cobol',
        deployToken: DEPLOY_TOKEN,
      },
    });
    expect(answer.isError).toBe(true);
    for (const problem of [
      'values.name: does not match pattern',
      'values.port: must be greater than or equal to 1024',
      'values.language: is not one of enum values: go,java,typescript',
      'values.owner: is required',
      'values.deployToken: is a secret: send it in secrets, not in values',
      'secrets.deployToken: is required',
    ]) {
      expect(answer.text).toContain(problem);
    }
    expect(answer.text).not.toContain(DEPLOY_TOKEN);
    const [record] = await gateway.auditRecords({
      agent: 'automation',
      tool: 'run_template',
    });
    expect(record).toMatchObject({
      decision: 'refused',
      stage: 'input',
      reason: 'invalid-input',
    });
    expect(await scaffolderTaskCount()).toBe(before);
  });

  it('dry-runs: the steps, log, output and files it would produce, and no task', async () => {
    const before = await scaffolderTaskCount();
    const answer = await call('automation', 'run_template', {
      ...SERVICE,
      dryRun: true,
    });
    expect(answer.isError).toBe(false);
    expect(answer.data).toMatchObject({
      dryRun: true,
      status: 'dry-run',
      steps: [
        { id: 'fetch-skeleton', action: 'fetch:template' },
        { id: 'write-catalog-info', action: 'catalog:write' },
        { id: 'configure-deploy', action: 'debug:log' },
        { id: 'list-workspace', action: 'debug:log' },
      ],
    });
    expect(answer.data.taskId).toBeUndefined();
    expect(
      answer.data.files.map((f: { path: string }) => f.path).sort(),
    ).toEqual(['README.md', 'catalog-info.yaml', 'service.yaml']);
    expect(answer.data.output.text[0].content).toContain(
      'Service **billing-api** was created',
    );
    expect(answer.data.log.length).toBeGreaterThan(3);
    expect(answer.text).toContain(
      'Dry run of template:default/new-service: nothing was started.',
    );
    expect(await scaffolderTaskCount()).toBe(before);
  }, 30_000);

  it('streams the task as progress notifications to a client that sent a progress token', async () => {
    const client = await gateway.connect('automation');
    const progress: Array<{ progress: number; message?: string }> = [];
    const result = await client.callTool(
      { name: 'run_template', arguments: { ...SERVICE, waitSeconds: 30 } },
      undefined,
      { onprogress: update => void progress.push(update) },
    );
    answers.push(answerOf(result));
    expect(answerOf(result).data.status).toBe('completed');
    expect(progress.length).toBeGreaterThan(3);
    expect(progress.map(p => p.progress)).toEqual(
      [...progress.map(p => p.progress)].sort((a, b) => a - b),
    );
    expect(progress.map(p => p.message)).toContain(
      'info: Writing catalog-info.yaml',
    );
    expect(progress[progress.length - 1].message).toBe(
      'Run completed with status: completed',
    );
  }, 60_000);

  it('keeps a task running when its client hangs up while waiting', async () => {
    const client = await gateway.connect('automation');
    const hangUp = new AbortController();
    const progress: string[] = [];
    const waiting = client.callTool(
      {
        name: 'run_template',
        arguments: {
          templateRef: 'slow-task',
          values: { seconds: 2 },
          waitSeconds: 30,
        },
      },
      undefined,
      {
        signal: hangUp.signal,
        onprogress: update => {
          progress.push(update.message ?? '');
          if (update.message?.includes('Starting to wait')) hangUp.abort();
        },
      },
    );
    await expect(waiting).rejects.toThrow();
    const listed = await gateway.call('automation', 'list_tasks', {});
    const [newest] = listed.data.items;
    expect(newest.templateRef).toBe('template:default/slow-task');
    const task = await taskOnceIn('completed', newest.taskId);
    expect(task.data.status).toBe('completed');
    expect(task.data.log.map((l: { message: string }) => l.message)).toContain(
      'info: Done waiting',
    );
  }, 30_000);

  it('cancels its own running task, and leaves a finished one as it is', async () => {
    const run = await call('automation', 'run_template', {
      templateRef: 'slow-task',
      values: { seconds: 20 },
      waitSeconds: 1,
    });
    const { taskId } = run.data;
    const cancel = await call('automation', 'cancel_task', { taskId });
    expect(cancel.data).toEqual({
      taskId,
      cancelled: true,
      status: 'cancelled',
    });
    const task = await taskOnceIn('cancelled', taskId);
    expect(task.data.status).toBe('cancelled');
    expect(
      task.data.log.map((l: { message: string }) => l.message),
    ).not.toContain('info: Done waiting');

    const again = await call('automation', 'cancel_task', { taskId });
    expect(again.data).toEqual({
      taskId,
      cancelled: false,
      status: 'cancelled',
    });
    expect(again.text).toBe(
      `Task ${taskId} had already finished (cancelled); nothing was cancelled.`,
    );
  }, 30_000);

  it("says another agent's task is not found, for reading and cancelling alike", async () => {
    const run = await call('automation', 'run_template', {
      templateRef: 'slow-task',
      values: { seconds: 1 },
    });
    const { taskId } = run.data;
    const notFound = `No task ${taskId} of this agent.`;
    for (const tool of ['get_task', 'cancel_task']) {
      const answer = await call('other-automation', tool, { taskId });
      expect(answer).toMatchObject({ isError: true, text: notFound });
    }
    // A task id that exists nowhere reads the same.
    const unknown = '0b0e7e0a-5c1b-4f0e-9a51-1d0c3e7f4a11';
    expect(
      (await call('other-automation', 'get_task', { taskId: unknown })).text,
    ).toBe(`No task ${unknown} of this agent.`);
    expect(
      (await call('other-automation', 'list_tasks', {})).data.items.map(
        (t: { taskId: string }) => t.taskId,
      ),
    ).not.toContain(taskId);

    // Unless policy grants more (templates.tasks: all).
    expect((await call('task-admin', 'get_task', { taskId })).data.taskId).toBe(
      taskId,
    );
  });

  it("scopes a user-backed agent's tasks to the user it acts for", async () => {
    const carol = await signInAs(gateway.baseUrl, 'carol');
    const ivan = await signInAs(gateway.baseUrl, 'ivan');
    const carolClient = await gateway.connectWithToken(carol.token);
    const ivanClient = await gateway.connectWithToken(ivan.token);
    const ask = async (client: Client, name: string, args: object) => {
      const answer = answerOf(
        await client.callTool({ name, arguments: { ...args } }),
      );
      answers.push(answer);
      return answer;
    };

    const run = await ask(carolClient, 'run_template', {
      templateRef: 'slow-task',
      values: { seconds: 1 },
    });
    const { taskId } = run.data;
    expect((await ask(carolClient, 'get_task', { taskId })).data.taskId).toBe(
      taskId,
    );
    // Same agent, another user: not found, and not listed.
    expect((await ask(ivanClient, 'get_task', { taskId })).text).toBe(
      `No task ${taskId} of this agent.`,
    );
    expect((await ask(ivanClient, 'list_tasks', {})).data.items).toEqual([]);

    // The user's own task, started in Backstage without the gateway, is hers.
    const own = await fetch(`${gateway.baseUrl}/api/scaffolder/v2/tasks`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${carol.token}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({
        templateRef: 'template:default/slow-task',
        values: { seconds: 1 },
      }),
    });
    expect(own.status).toBe(201);
    const { id } = await own.json();
    expect(
      (await ask(carolClient, 'get_task', { taskId: id })).data.taskId,
    ).toBe(id);
    expect((await ask(ivanClient, 'get_task', { taskId: id })).isError).toBe(
      true,
    );
  }, 30_000);

  it('lists tasks newest first, pages, and filters by status', async () => {
    const all = await call('automation', 'list_tasks', { limit: 100 });
    expect(all.data.items.length).toBeGreaterThanOrEqual(5);
    const created = all.data.items.map(
      (t: { createdAt: string }) => t.createdAt,
    );
    expect(created).toEqual([...created].sort().reverse());

    const first = await call('automation', 'list_tasks', { limit: 2 });
    const second = await call('automation', 'list_tasks', {
      limit: 2,
      cursor: first.data.nextCursor,
    });
    // Ids only: a task still running may finish between the listings.
    const ids = (items: Array<{ taskId: string }>) => items.map(t => t.taskId);
    expect(ids([...first.data.items, ...second.data.items])).toEqual(
      ids(all.data.items.slice(0, 4)),
    );

    const cancelled = await call('automation', 'list_tasks', {
      status: 'cancelled',
    });
    expect(cancelled.data.items.length).toBeGreaterThanOrEqual(1);
    for (const task of cancelled.data.items)
      expect(task.status).toBe('cancelled');

    const forged = await call('automation', 'list_tasks', {
      cursor: Buffer.from(
        '{"t":"list_tasks","c":0,"i":"x","extra":1}',
      ).toString('base64url'),
    });
    expect(forged.isError).toBe(true);
    expect(forged.text).toContain('The cursor is not valid for list_tasks');
  });

  it('refuses out-of-range and oversized arguments, and survives prototype keys', async () => {
    const before = await scaffolderTaskCount();
    const tooMany = Object.fromEntries(
      Array.from({ length: 51 }, (_, i) => [`s${i}`, 'x']),
    );
    for (const [args, problem] of [
      [{ ...SERVICE, waitSeconds: 61 }, 'waitSeconds'],
      [{ ...SERVICE, waitSeconds: -1 }, 'waitSeconds'],
      [{ ...SERVICE, waitSeconds: 1.5 }, 'waitSeconds'],
      [{ ...SERVICE, secrets: tooMany }, 'secrets: at most 50 secrets'],
      [{ ...SERVICE, secrets: { deployToken: 42 } }, 'secrets.deployToken'],
      [{ ...SERVICE, values: ['billing-api'] }, 'values'],
      [
        { ...SERVICE, templateRef: 'template:default/new-service;drop' },
        'templateRef',
      ],
    ] as const) {
      const answer = await call('automation', 'run_template', args);
      expect(answer.isError).toBe(true);
      expect(answer.text).toContain('Invalid arguments for run_template');
      expect(answer.text).toContain(problem);
    }
    // JSON's own "__proto__" key is data, never the prototype.
    const polluting = await gateway.post(
      {
        jsonrpc: '2.0',
        id: 1,
        method: 'tools/call',
        params: {
          name: 'run_template',
          arguments: JSON.parse(
            `{"templateRef":"NEW-SERVICE","dryRun":true,"secrets":{"deployToken":"${DEPLOY_TOKEN}"},"values":{"__proto__":{"polluted":true},"name":"billing-api","owner":"group:default/payments-team"}}`,
          ),
        },
      },
      { authorization: `Bearer ${tokenFor('automation')}` },
    );
    expect(polluting.status).toBe(200);
    const [message] = await messagesOf(polluting);
    expect(message.result.structuredContent).toMatchObject({
      dryRun: true,
      templateRef: 'template:default/new-service',
    });
    expect(({} as any).polluted).toBeUndefined();
    expect(await scaffolderTaskCount()).toBe(before);
  });

  it('refuses malformed task ids before any lookup', async () => {
    for (const taskId of ['../../tasks', 'not-a-uuid', '%2e%2e', '']) {
      const answer = await call('automation', 'get_task', { taskId });
      expect(answer.isError).toBe(true);
      expect(answer.text).toContain('Invalid arguments for get_task');
    }
  });

  it('shows a read-only agent none of the write tools', async () => {
    const client = await gateway.connect('reader');
    const names = (await client.listTools()).tools.map(t => t.name);
    expect(names).toEqual(expect.arrayContaining(['get_task', 'list_tasks']));
    for (const write of [
      'run_template',
      'cancel_task',
      'register_location',
      'refresh_entity',
    ]) {
      expect(names).not.toContain(write);
    }
    const tools = (await (await gateway.connect('automation')).listTools())
      .tools;
    const annotationsOf = (name: string) =>
      tools.find(t => t.name === name)?.annotations;
    expect(annotationsOf('run_template')).toMatchObject({
      readOnlyHint: false,
      destructiveHint: false,
      idempotentHint: false,
    });
    expect(annotationsOf('cancel_task')).toMatchObject({
      readOnlyHint: false,
      idempotentHint: true,
    });
  });

  // Last: it reads what every test above wrote.
  it('never shows a secret in any answer, log line or audit record', async () => {
    const records = await gateway.auditRecords();
    expect(records.length).toBeGreaterThan(10);
    for (const written of [
      answers,
      gateway.logs,
      records,
      gateway.auditEvents,
    ]) {
      expect(JSON.stringify(written)).not.toContain(DEPLOY_TOKEN);
    }
  });
});
