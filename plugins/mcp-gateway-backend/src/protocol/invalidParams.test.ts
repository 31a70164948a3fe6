import { ProtocolError, ProtocolErrorCode } from '@modelcontextprotocol/server';
import { readableParamsError, unpagedCursorError } from './invalidParams';

const zodMessage = JSON.stringify([
  {
    code: 'invalid_type',
    path: ['params', 'capabilities'],
    message: 'Invalid input: expected object, received undefined',
  },
  { code: 'invalid_type', path: [], message: 'Invalid input' },
]);

describe('readableParamsError', () => {
  it("turns the MCP SDK's schema errors into Invalid Params naming each field", () => {
    const error = readableParamsError('initialize', new Error(zodMessage));
    expect(error).toBeInstanceOf(ProtocolError);
    expect(error).toMatchObject({
      code: ProtocolErrorCode.InvalidParams,
      message: expect.stringContaining(
        'Invalid params for initialize: params.capabilities: Invalid input: expected object, received undefined; params: Invalid input',
      ),
    });
  });

  it.each([
    [
      'a ProtocolError',
      new ProtocolError(ProtocolErrorCode.InternalError, zodMessage),
    ],
    ['an Error of another class', new TypeError(zodMessage)],
    ['an Error whose message is not zod issues', new Error('[1, 2]')],
    ['a message that is no JSON', new Error('boom')],
    ['no Error at all', 'boom'],
  ])('passes %s through as it is', (_, error) => {
    expect(readableParamsError('tools/list', error)).toBe(error);
  });
});

describe('unpagedCursorError', () => {
  it('says the listing has no pages', () => {
    expect(unpagedCursorError('tools/list')).toMatchObject({
      code: ProtocolErrorCode.InvalidParams,
      message: expect.stringMatching(
        /^Invalid cursor: tools\/list answers in one page/,
      ),
    });
  });
});
