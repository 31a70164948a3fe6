import { ProtocolError, ProtocolErrorCode } from '@modelcontextprotocol/server';
import { Answer } from '../corridor/corridor';
import { Failure } from '../corridor/failures';
import { ShapedResult } from '../corridor/shaping';
import { listingAnswer, operationAnswer, toolCallAnswer } from './mcpAnswers';

const failed = <T>(failure: Failure): Answer<T> => ({ ok: false, failure });

function thrownBy(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

describe('toolCallAnswer', () => {
  it('passes a tool result through as it is', () => {
    const value: ShapedResult = {
      content: [{ type: 'text', text: 'ok' }],
      structuredContent: { a: 1 },
    };
    expect(toolCallAnswer({ ok: true, value }, {})).toBe(value);
  });

  it('answers a call naming no known tool with a JSON-RPC InvalidParams error', () => {
    const error = thrownBy(() =>
      toolCallAnswer(
        failed({
          outcome: 'invalid',
          stage: 'protocol',
          code: 'unknown-operation',
          message: 'Unknown tool: nope',
        }),
        {},
      ),
    );
    expect(error).toBeInstanceOf(ProtocolError);
    expect(error).toMatchObject({
      code: ProtocolErrorCode.InvalidParams,
      message: expect.stringContaining('Unknown tool: nope'),
    });
  });

  it('answers a call that could not be audited with a JSON-RPC InternalError', () => {
    const error = thrownBy(() =>
      toolCallAnswer(
        failed({
          outcome: 'failed',
          stage: 'audit',
          code: 'audit-unavailable',
          message: 'The audit log is unavailable (reference r-1).',
        }),
        {},
      ),
    );
    expect(error).toBeInstanceOf(ProtocolError);
    expect(error).toMatchObject({
      code: ProtocolErrorCode.InternalError,
      message: expect.stringContaining(
        'The audit log is unavailable (reference r-1).',
      ),
    });
  });

  it.each<Failure>([
    {
      outcome: 'refused',
      stage: 'policy',
      code: 'tool-not-allowed',
      message: "Agent 'a' may not call tool 'x'.",
    },
    {
      outcome: 'refused',
      stage: 'permission',
      code: 'permission-denied',
      message: 'denied',
    },
    {
      outcome: 'invalid',
      stage: 'input',
      code: 'invalid-input',
      message: 'Invalid arguments for x: entityRef: Required',
    },
    {
      outcome: 'failed',
      stage: 'operation',
      code: 'internal-error',
      message: 'The x tool failed unexpectedly.',
      unexpected: true,
    },
  ])(
    'answers a $stage failure ($code) as a tool result with isError',
    failure => {
      expect(toolCallAnswer(failed(failure), {})).toEqual({
        content: [{ type: 'text', text: failure.message }],
        isError: true,
      });
    },
  );
});

describe('operationAnswer', () => {
  it('answers a miss with InvalidParams whose data names the reason and what was asked', () => {
    const error = thrownBy(() =>
      operationAnswer(
        failed({
          outcome: 'invalid',
          stage: 'input',
          code: 'not-found',
          message: 'Unknown resource: test://nothing.',
        }),
        { uri: 'test://nothing' },
      ),
    );
    expect(error).toBeInstanceOf(ProtocolError);
    expect(error).toMatchObject({
      code: ProtocolErrorCode.InvalidParams,
      message: expect.stringContaining('Unknown resource: test://nothing.'),
      data: { uri: 'test://nothing', code: 'not-found' },
    });
  });
});

describe('listingAnswer', () => {
  it('passes a listing through as it is', () => {
    const value = [{ name: 'get_entity' }];
    expect(listingAnswer({ ok: true, value })).toBe(value);
  });

  it.each<Failure>([
    {
      outcome: 'failed',
      stage: 'audit',
      code: 'audit-unavailable',
      message: 'The audit log is unavailable (reference r-1).',
    },
    {
      outcome: 'failed',
      stage: 'operation',
      code: 'internal-error',
      message: 'The listing failed unexpectedly.',
    },
  ])('fails a listing as a whole with InternalError ($stage)', failure => {
    const error = thrownBy(() => listingAnswer(failed(failure)));
    expect(error).toBeInstanceOf(ProtocolError);
    expect(error).toMatchObject({
      code: ProtocolErrorCode.InternalError,
      message: expect.stringContaining(failure.message),
    });
  });

  const rateLimited: Failure = {
    outcome: 'refused',
    stage: 'limits',
    code: 'rate-limited',
    message: 'Too fast. Try again in 17 seconds.',
    retryAfterSeconds: 17,
  };

  it('tells a 2026-07-28 client when to retry in structured content and _meta', () => {
    expect(
      toolCallAnswer(failed(rateLimited), { protocolVersion: '2026-07-28' }),
    ).toEqual({
      content: [{ type: 'text', text: rateLimited.message }],
      isError: true,
      structuredContent: {
        error: {
          code: 'rate-limited',
          message: rateLimited.message,
          retryAfter: 17,
        },
      },
      _meta: { 'mcp-gateway/retryAfter': 17 },
    });
  });

  it.each([['2025-11-25'], ['2025-06-18'], [undefined]])(
    'gives a %p client the retry time in text and _meta only: it would validate structured content against the output schema',
    protocolVersion => {
      expect(toolCallAnswer(failed(rateLimited), { protocolVersion })).toEqual({
        content: [{ type: 'text', text: rateLimited.message }],
        isError: true,
        _meta: { 'mcp-gateway/retryAfter': 17 },
      });
    },
  );
});
