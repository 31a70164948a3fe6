import { listedAction } from '../../__testUtils__/listedActions';
import { InvalidArguments } from '../../core/errors';
import { accessOf, actionTool, listedInputSchema } from './actionTool';

const attributes = (readOnly: boolean, destructive: boolean) => ({
  readOnly,
  destructive,
  idempotent: false,
});

describe('actionTool', () => {
  it('maps the registry attributes to the access grant and the annotations', () => {
    expect(
      accessOf(listedAction({ attributes: attributes(true, false) })),
    ).toBe('read');
    expect(
      accessOf(listedAction({ attributes: attributes(false, false) })),
    ).toBe('write');
    expect(
      accessOf(listedAction({ attributes: attributes(false, true) })),
    ).toBe('destructive');
    const action = listedAction({ attributes: attributes(false, true) });
    const tool = actionTool(action, 'action_demo_greet', {});
    expect(tool.operation).toEqual({
      kind: 'tool',
      name: 'action_demo_greet',
      access: 'destructive',
      source: 'demo',
    });
    expect(tool.listing.annotations).toEqual({
      title: 'Greet',
      readOnlyHint: false,
      destructiveHint: true,
      idempotentHint: false,
      openWorldHint: false,
    });
  });

  it('lists the input schema without its $schema, and no output schema', () => {
    const action = listedAction();
    const input = listedInputSchema(action);
    if ('problem' in input) throw new Error(input.problem);
    const { listing } = actionTool(action, 'action_demo_greet', input.schema);
    expect(listing.inputSchema).toEqual({
      type: 'object',
      properties: expect.objectContaining({ who: expect.any(Object) }),
      required: ['who'],
      additionalProperties: false,
    });
    expect(listing.outputSchema).toBeUndefined();
    expect(listing.description).toBe('Says hello to an entity owner');
  });

  it('names every way the arguments miss the schema, before anything runs', () => {
    const action = listedAction();
    const input = listedInputSchema(action);
    if ('problem' in input) throw new Error(input.problem);
    const tool = actionTool(action, 'action_demo_greet', input.schema);
    let thrown: unknown;
    try {
      tool.parseInput({ times: 0, extra: true });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(InvalidArguments);
    expect((thrown as InvalidArguments).issues).toEqual(
      expect.arrayContaining([
        { path: 'who', message: 'is required' },
        {
          path: 'times',
          message: expect.stringContaining('greater than or equal to 1'),
        },
        { path: '', message: expect.stringContaining('extra') },
      ]),
    );
    expect(() => tool.parseInput('hello')).toThrow(InvalidArguments);
    expect(() => tool.parseInput(['who'])).toThrow(InvalidArguments);
    expect(tool.parseInput({ who: 'ada' })).toEqual({ who: 'ada' });
  });

  it.each([
    [
      'no input schema',
      { input: undefined as never, output: {} },
      'it has no input schema',
    ],
    [
      'an array schema',
      { input: { type: 'array' }, output: {} },
      'its input schema does not describe an object',
    ],
    [
      'properties that are not schemas',
      { input: { type: 'object', properties: 7 }, output: {} },
      'its input schema is not valid JSON Schema',
    ],
    [
      'a required list of numbers',
      { input: { type: 'object', required: [1] }, output: {} },
      'its input schema is not valid JSON Schema',
    ],
  ])('refuses an action with %s', (_what, schema, problem) => {
    expect(
      listedInputSchema(listedAction({ schema: schema as never })),
    ).toEqual({
      problem,
    });
  });
});
