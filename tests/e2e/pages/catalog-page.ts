// Page module for the service catalog: the library's Services section (list, detail with its blast
// radius graph, editor, file import), the catalog in the declare dialog, and the war room's Services
// panel. Also the CLI steps a team runs before opening the app (the directory, runbooks, catalog).
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { expect, type Locator, type Page } from '@playwright/test';
import { holdfastBin } from '../holdfast-web';

export const sampleCatalogFile = resolve(import.meta.dirname, '../../../docs/samples/catalog.yaml');
export const sampleCatalog = readFileSync(sampleCatalogFile, 'utf8');
export const sampleDirectoryFile = resolve(import.meta.dirname, '../../../docs/samples/directory.csv');

/** Runs `holdfast ARGS --data DIR` (the data folder must not be open in `holdfast web`); returns its output. */
export function holdfastCli(dataDir: string, ...args: string[]): string {
  const result = spawnSync(process.execPath, [holdfastBin, ...args, '--data', dataDir], { encoding: 'utf8' });
  expect(result.status, `holdfast ${args.join(' ')} failed:\n${result.stdout}\n${result.stderr}`).toBe(0);
  return result.stdout;
}

export class CatalogPage {
  readonly section: Locator;
  readonly items: Locator;
  readonly itemNames: Locator;
  readonly detail: Locator;
  readonly editor: Locator;
  readonly importReport: Locator;

  constructor(readonly page: Page) {
    this.section = page.getByTestId('library-services');
    this.items = page.getByTestId('service-item');
    this.itemNames = this.items.getByTestId('service-item-name');
    this.detail = page.getByTestId('service-detail');
    this.editor = page.getByTestId('service-editor');
    this.importReport = page.getByTestId('catalog-import-report');
  }

  async open(): Promise<void> {
    await this.page.getByTestId('nav-library').click();
    await expect(this.page.getByTestId('view-library')).toBeVisible();
    await this.page.getByTestId('library-tab-services').click();
    await expect(this.section).toBeVisible();
  }

  /** Imports a file the way a person does: the button, then a file from disk. */
  async importFile(name: string, text: string): Promise<void> {
    await this.page
      .getByTestId('import-catalog-input')
      .setInputFiles({ name, mimeType: name.endsWith('.csv') ? 'text/csv' : 'application/yaml', buffer: Buffer.from(text) });
  }

  item(name: string): Locator {
    return this.items.filter({ has: this.page.getByTestId('service-item-name').getByText(name, { exact: true }) });
  }

  async select(name: string): Promise<void> {
    await this.item(name).click();
    await expect(this.detail.getByTestId('service-name')).toContainText(name);
  }

  /** The boxes of a blast radius graph inside `scope`, by service id, for a depth. */
  graphNodes(scope: Locator, depth?: number): Locator {
    const nodes = scope.getByTestId('blast-node');
    return depth === undefined ? nodes : scope.locator(`[data-testid="blast-node"][data-depth="${depth}"]`);
  }
}

/** Service ids of a graph's boxes, in document order. */
export async function serviceIds(nodes: Locator): Promise<string[]> {
  return nodes.evaluateAll((elements) => elements.map((e) => e.getAttribute('data-service-id') ?? ''));
}
