import { UrlReaderService } from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MAX_TEMPLATE_FILES, readTemplateDirectory } from './templateDirectory';

const template = (annotations: Record<string, string>): Entity => ({
  apiVersion: 'scaffolder.backstage.io/v1beta3',
  kind: 'Template',
  metadata: { name: 'new-service', annotations },
});

const noReader = {} as UrlReaderService;

describe('readTemplateDirectory', () => {
  it("reads a file location's directory, and follows no link out of it", async () => {
    const root = mkdtempSync(join(tmpdir(), 'template-'));
    writeFileSync(join(root, 'template.yaml'), 'kind: Template\n');
    mkdirSync(join(root, 'skeleton'));
    writeFileSync(
      join(root, 'skeleton', 'README.md'),
      '# ${{ values.name }}\n',
    );
    const outside = mkdtempSync(join(tmpdir(), 'outside-'));
    writeFileSync(join(outside, 'secret.txt'), 'not for the dry run');
    symlinkSync(
      join(outside, 'secret.txt'),
      join(root, 'skeleton', 'link.txt'),
    );
    symlinkSync(outside, join(root, 'linked-dir'));

    const files = await readTemplateDirectory(
      template({
        'backstage.io/managed-by-location': `file:${join(root, 'template.yaml')}`,
        // An entity's own claim about where it lives is not read for files.
        'backstage.io/source-location': `file:${outside}/`,
      }),
      noReader,
    );
    expect(files.map(f => f.path).sort()).toEqual([
      'skeleton/README.md',
      'template.yaml',
    ]);
    expect(JSON.stringify(files)).not.toContain(
      Buffer.from('not for the dry run').toString('base64'),
    );
  });

  it('refuses a directory larger than a dry run reads', async () => {
    const root = mkdtempSync(join(tmpdir(), 'template-'));
    for (let i = 0; i <= MAX_TEMPLATE_FILES; i++) {
      writeFileSync(join(root, `f${i}.txt`), 'x');
    }
    await expect(
      readTemplateDirectory(
        template({
          'backstage.io/managed-by-location': `file:${join(root, 't.yaml')}`,
        }),
        noReader,
      ),
    ).rejects.toThrow('more than a dry run reads');
  });

  it("reads a url location's directory through the URL reader", async () => {
    const readTree = jest.fn(async () => ({
      files: async () => [
        { path: 'skeleton/a.txt', content: async () => Buffer.from('a') },
      ],
    }));
    const files = await readTemplateDirectory(
      template({
        'backstage.io/managed-by-location':
          'url:https://github.com/acme/templates/blob/main/new-service/template.yaml',
      }),
      { readTree } as unknown as UrlReaderService,
    );
    expect(readTree).toHaveBeenCalledWith(
      'https://github.com/acme/templates/blob/main/new-service/',
    );
    expect(files).toEqual([
      {
        path: 'skeleton/a.txt',
        base64Content: Buffer.from('a').toString('base64'),
      },
    ]);
  });

  it('says why it cannot read a template without a readable location', async () => {
    await expect(readTemplateDirectory(template({}), noReader)).rejects.toThrow(
      'new-service has no location',
    );
    await expect(
      readTemplateDirectory(
        template({ 'backstage.io/managed-by-location': 'github-org:acme' }),
        noReader,
      ),
    ).rejects.toThrow('comes from a github-org location');
  });
});
