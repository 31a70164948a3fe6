import { auditedMethodOf } from '../audit/auditedMethod';
import express, { Request, Response } from 'express';
import {
  INVALID_REQUEST,
  oneLine,
  PARSE_ERROR,
  quoted,
  TransportRefusal,
} from './refusals';

export const MAX_BODY = '1mb';

/** What body-parser 1.x attaches to the errors it passes on. */
interface BodyParserError {
  type?: string;
  status?: number;
  code?: string;
  charset?: string;
  encoding?: string;
}

/**
 * Reads and parses the JSON body. Whatever body-parser (express.json) throws
 * comes back as a JSON-RPC refusal, so that no body error ever reaches
 * Backstage's error handler (HTML, stack traces, 500s).
 */
export function createBodyReader(limit = MAX_BODY) {
  const parse = express.json({ limit });
  return (req: Request, res: Response): Promise<TransportRefusal | undefined> =>
    new Promise(resolve => {
      parse(req, res, (error?: unknown) =>
        resolve(error ? bodyRefusalOf(req, error, limit) : undefined),
      );
    });
}

function bodyRefusalOf(
  req: Request,
  error: unknown,
  limit = MAX_BODY,
): TransportRefusal {
  const details = (error ?? {}) as BodyParserError;
  const refusal = (
    status: number,
    code: number,
    message: string,
  ): TransportRefusal => ({
    status,
    code,
    message,
    outcome: 'invalid',
    reasonCode: status === 413 ? 'body-too-large' : 'invalid-body',
    method: auditedMethodOf(req),
  });
  const encoding = String(req.headers['content-encoding'] ?? 'identity');

  switch (details.type) {
    case 'entity.too.large':
      return refusal(
        413,
        INVALID_REQUEST,
        `Request body is larger than ${limit}`,
      );
    case 'entity.parse.failed':
      return refusal(
        400,
        PARSE_ERROR,
        'Parse error: the body is not valid JSON',
      );
    case 'charset.unsupported':
      return refusal(
        415,
        INVALID_REQUEST,
        `Request body charset ${quoted(details.charset ?? '', 40)} is not supported: send JSON as utf-8.`,
      );
    case 'encoding.unsupported':
      return refusal(
        415,
        INVALID_REQUEST,
        `Content-Encoding ${quoted(details.encoding ?? encoding, 40)} is not supported: send the body as identity, gzip, deflate.`,
      );
    case 'request.aborted':
      return refusal(
        400,
        PARSE_ERROR,
        'Parse error: the request body ended before its Content-Length.',
      );
    case 'request.size.invalid':
      return refusal(
        400,
        PARSE_ERROR,
        'Parse error: the request body does not match its Content-Length.',
      );
    default:
  }
  // zlib's errors carry no body-parser type, only zlib's code.
  if (typeof details.code === 'string' && details.code.startsWith('Z_')) {
    return refusal(
      400,
      PARSE_ERROR,
      `Parse error: the request body could not be decompressed (Content-Encoding ${oneLine(encoding, 40)}).`,
    );
  }
  const status =
    typeof details.status === 'number' &&
    details.status >= 400 &&
    details.status < 500
      ? details.status
      : 400;
  return refusal(
    status,
    PARSE_ERROR,
    'Parse error: the request body could not be read.',
  );
}
