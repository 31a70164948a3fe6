import { UrlReaderService } from '@backstage/backend-plugin-api';
import {
  ANNOTATION_LOCATION,
  ANNOTATION_SOURCE_LOCATION,
  Entity,
  parseLocationRef,
} from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import { lstat, readdir, readFile } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';

/** A file of a template's directory, as the scaffolder's dry run takes it. */
export interface TemplateFile {
  path: string;
  base64Content: string;
}

/** A template directory larger than this is not one the dry run reads. */
export const MAX_TEMPLATE_FILES = 500;
export const MAX_TEMPLATE_BYTES = 10 * 1024 * 1024;

/**
 * The files next to a template's definition (its skeletons), which the
 * scaffolder's dry run needs sent along: it runs the steps against them
 * instead of the template's own location. Read from where the catalog
 * read the template: a `file:` location from disk (only the directory of
 * the file the catalog itself was pointed at, never a path an entity
 * names), a `url:` location through Backstage's URL reader, which applies
 * `backend.reading.allow` and the integrations' credentials.
 */
export async function readTemplateDirectory(
  template: Entity,
  urlReader: UrlReaderService,
): Promise<TemplateFile[]> {
  const managedBy = template.metadata.annotations?.[ANNOTATION_LOCATION];
  if (!managedBy) {
    throw new InputError(
      `${template.metadata.name} has no location, so its files cannot be read for a dry run.`,
    );
  }
  const location = parseLocationRef(managedBy);
  if (location.type === 'file') {
    return readLocalDirectory(dirname(location.target));
  }
  if (location.type === 'url') {
    // The source location, where the entity names one, is the directory the
    // scaffolder itself resolves relative URLs against.
    const source = template.metadata.annotations?.[ANNOTATION_SOURCE_LOCATION];
    const base = source
      ? parseLocationRef(source).target
      : new URL('.', location.target).toString();
    return readRemoteDirectory(base, urlReader);
  }
  throw new InputError(
    `${template.metadata.name} comes from a ${location.type} location, whose files a dry run cannot read.`,
  );
}

async function readLocalDirectory(root: string): Promise<TemplateFile[]> {
  const files: TemplateFile[] = [];
  const budget = { files: MAX_TEMPLATE_FILES, bytes: MAX_TEMPLATE_BYTES };
  async function walk(dir: string): Promise<void> {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      // Links could lead out of the template's directory: not followed.
      if (entry.isSymbolicLink()) continue;
      if (entry.isDirectory()) {
        await walk(path);
      } else if (entry.isFile()) {
        spend(budget, (await lstat(path)).size);
        files.push({
          path: relative(root, path).split(sep).join('/'),
          base64Content: (await readFile(path)).toString('base64'),
        });
      }
    }
  }
  await walk(root);
  return files;
}

async function readRemoteDirectory(
  url: string,
  urlReader: UrlReaderService,
): Promise<TemplateFile[]> {
  const tree = await urlReader.readTree(url);
  const budget = { files: MAX_TEMPLATE_FILES, bytes: MAX_TEMPLATE_BYTES };
  const files: TemplateFile[] = [];
  for (const file of await tree.files()) {
    const content = await file.content();
    spend(budget, content.length);
    files.push({ path: file.path, base64Content: content.toString('base64') });
  }
  return files;
}

function spend(budget: { files: number; bytes: number }, bytes: number) {
  budget.files -= 1;
  budget.bytes -= bytes;
  if (budget.files < 0 || budget.bytes < 0) {
    throw new InputError(
      `The template's directory holds more than ${MAX_TEMPLATE_FILES} files or ${
        MAX_TEMPLATE_BYTES / 1024 / 1024
      } MB, more than a dry run reads.`,
    );
  }
}
