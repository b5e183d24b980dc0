// Page module for the people directory: importing a CSV, reading people's cards, adding bridges.
import { expect, type Locator, type Page } from '@playwright/test';

export class DirectoryPage {
  readonly people: Locator;
  readonly bridges: Locator;
  readonly teams: Locator;
  readonly search: Locator;
  readonly importReport: Locator;
  readonly importError: Locator;

  constructor(readonly page: Page) {
    this.people = page.getByTestId('person-card');
    this.bridges = page.getByTestId('bridge-card');
    this.teams = page.getByTestId('team-card');
    this.search = page.getByTestId('directory-search');
    this.importReport = page.getByTestId('import-report');
    this.importError = page.getByTestId('import-error');
  }

  async open(): Promise<void> {
    await this.page.getByTestId('nav-directory').click();
    await expect(this.page.getByTestId('view-directory')).toBeVisible();
  }

  /** Imports a CSV the way a person does: the button, then a file from disk. */
  async importCsv(name: string, csv: string): Promise<void> {
    await this.page.getByTestId('import-csv-input').setInputFiles({ name, mimeType: 'text/csv', buffer: Buffer.from(csv) });
  }

  person(name: string): Locator {
    return this.people.filter({ has: this.page.getByRole('heading', { name, exact: true }) });
  }

  /** The people of one team (or "No team"), under its heading. */
  group(teamName: string): Locator {
    return this.page.getByRole('region', { name: teamName, exact: true });
  }

  bridge(name: string): Locator {
    return this.bridges.filter({ has: this.page.getByRole('heading', { name, exact: true }) });
  }

  async addBridge(bridge: { name: string; dialIn: { label: string; number: string }; pin: string; meetingUrl: string }): Promise<void> {
    await this.page.getByTestId('add-bridge').click();
    const dialog = this.page.getByTestId('bridge-dialog');
    await expect(dialog).toBeVisible();
    await dialog.getByTestId('bridge-name').fill(bridge.name);
    await dialog.getByTestId('bridge-dial-in-label').first().fill(bridge.dialIn.label);
    await dialog.getByTestId('bridge-dial-in-number').first().fill(bridge.dialIn.number);
    await dialog.getByTestId('bridge-pin-input').fill(bridge.pin);
    await dialog.getByTestId('bridge-url').fill(bridge.meetingUrl);
    await dialog.getByTestId('editor-save').click();
    await expect(dialog).toBeHidden();
  }
}
