import express, { Request, Response } from 'express';
import { AdminFailure } from './adminFailure';

const MAX_BODY = '16kb';
const parseJson = express.json({ limit: MAX_BODY });

/**
 * Reads a JSON body into `req.body` (`{}` when there is none). Called only
 * once the caller is known to be an admin: nobody else's body is read.
 */
export async function readJsonBody(req: Request, res: Response) {
  if (hasContent(req) && !req.is('application/json')) {
    throw new AdminFailure(
      400,
      'Invalid request body: send it as JSON, with Content-Type: application/json.',
    );
  }
  await new Promise<void>((resolve, reject) =>
    parseJson(req, res, error =>
      error ? reject(bodyFailureOf(error)) : resolve(),
    ),
  );
}

function hasContent(req: Request) {
  const length = req.headers['content-length'];
  return (
    req.headers['transfer-encoding'] !== undefined ||
    (length !== undefined && length !== '0')
  );
}

function bodyFailureOf(error: { type?: string; status?: number }) {
  switch (error.type) {
    case 'entity.parse.failed':
      return new AdminFailure(
        400,
        'Invalid request body: it is not valid JSON.',
      );
    case 'entity.too.large':
      return new AdminFailure(
        400,
        `Invalid request body: it is larger than ${MAX_BODY}.`,
      );
    case 'charset.unsupported':
    case 'encoding.unsupported':
      return new AdminFailure(
        400,
        'Invalid request body: send it as UTF-8 JSON, without a Content-Encoding.',
      );
    default:
      return new AdminFailure(
        400,
        'Invalid request body: it could not be read.',
      );
  }
}
